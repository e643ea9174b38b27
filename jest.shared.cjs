// One Jest configuration for every project: ts-jest in transpile-only mode (type checking is the
// `typecheck` target's job) and the workspace path aliases resolved from tsconfig.base.json.
const path = require('node:path');
const { pathsToModuleNameMapper } = require('ts-jest');
const { compilerOptions } = require('./tsconfig.base.json');

function createJestConfig(projectDir, overrides = {}) {
  const name = path.relative(__dirname, projectDir);
  return {
    displayName: name,
    rootDir: projectDir,
    testEnvironment: 'node',
    testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
    transform: {
      '^.+\\.ts$': ['ts-jest', { tsconfig: path.join(__dirname, 'tsconfig.spec.json') }],
    },
    moduleNameMapper: pathsToModuleNameMapper(compilerOptions.paths, { prefix: __dirname + '/' }),
    moduleFileExtensions: ['ts', 'js', 'json'],
    ...overrides,
  };
}

module.exports = { createJestConfig };
