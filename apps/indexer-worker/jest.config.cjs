const { createJestConfig } = require('../../jest.shared.cjs');

// Integration suites start an embedded broker and search server and child processes: generous per-test deadlines
// (each wait inside a test has its own, shorter one).
module.exports = createJestConfig(__dirname, { testTimeout: 150_000 });
