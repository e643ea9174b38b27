// `npm test`: the validation suites (compose, Dockerfiles, connector, dashboard and alerts, migrate job).
// The container suites (suites/*.containers.ts) are NOT matched here: they run only through `npm run test:containers`.
const { createJestConfig } = require('../../jest.shared.cjs');

module.exports = createJestConfig(__dirname, {
  globalSetup: '<rootDir>/../postgres/src/jest/global-setup.ts',
  globalTeardown: '<rootDir>/../postgres/src/jest/global-teardown.ts',
  testTimeout: 60_000,
});
