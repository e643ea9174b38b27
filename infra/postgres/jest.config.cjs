const { createJestConfig } = require('../../jest.shared.cjs');

module.exports = createJestConfig(__dirname, {
  globalSetup: '<rootDir>/src/jest/global-setup.ts',
  globalTeardown: '<rootDir>/src/jest/global-teardown.ts',
});
