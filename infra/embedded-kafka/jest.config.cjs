const { createJestConfig } = require('../../jest.shared.cjs');

module.exports = createJestConfig(__dirname, { testTimeout: 60_000 });
