// Runs one project's Jest suite and keeps Jest's own JSON results for the summary line of `npm test`.
const { spawnSync } = require('node:child_process');
const { mkdirSync } = require('node:fs');
const path = require('node:path');

const [projectRoot, projectName, ...rest] = process.argv.slice(2);
const root = path.resolve(__dirname, '../..');
const outDir = path.join(root, 'dist/test-results');
mkdirSync(outDir, { recursive: true });
const args = [
  path.join(root, 'node_modules/jest/bin/jest.js'),
  '--config', path.join(root, projectRoot, 'jest.config.cjs'),
  '--json', '--outputFile', path.join(outDir, `${projectName}.json`),
  '--passWithNoTests=false',
  ...rest,
];
const res = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
process.exit(res.status ?? 1);
