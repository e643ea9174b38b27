const { createJestConfig } = require('../jest.shared.cjs');

module.exports = createJestConfig(__dirname, {
  testMatch: ['<rootDir>/test/**/*.spec.ts'],
  globalSetup: '<rootDir>/../infra/postgres/src/jest/global-setup.ts',
  globalTeardown: '<rootDir>/../infra/postgres/src/jest/global-teardown.ts',
  testTimeout: 120_000,
});
