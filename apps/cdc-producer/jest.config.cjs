const { createJestConfig } = require('../../jest.shared.cjs');

module.exports = createJestConfig(__dirname, {
  globalSetup: '<rootDir>/../../infra/postgres/src/jest/global-setup.ts',
  globalTeardown: '<rootDir>/../../infra/postgres/src/jest/global-teardown.ts',
  testTimeout: 120_000,
});
