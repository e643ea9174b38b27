// `npm run test:containers` only (through scripts/run-container-suites.ts, which first checks for a container
// runtime): end-to-end suites against real images via testcontainers. Never part of `npm test`.
const { createJestConfig } = require('../../jest.shared.cjs');

module.exports = createJestConfig(__dirname, {
  displayName: 'containers (docker)',
  testMatch: ['<rootDir>/suites/**/*.containers.ts'],
  testTimeout: 600_000,
  maxWorkers: 1,
});
