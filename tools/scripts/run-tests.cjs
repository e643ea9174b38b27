// `npm test`: lint, typecheck and build every project through Nx, then run every project's tests
// one project at a time (the integration suites start real servers; two cores do not want two at once),
// and end with one summary line counted from Jest's own JSON results.
const { spawnSync } = require('node:child_process');
const { readdirSync, readFileSync, rmSync } = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '../..');
const resultsDir = path.join(root, 'dist/test-results');
const nx = path.join(root, 'node_modules/.bin/nx');
rmSync(resultsDir, { recursive: true, force: true });

function run(args) {
  const res = spawnSync(nx, args, { cwd: root, stdio: 'inherit', env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' } });
  return res.status ?? 1;
}

const staticStatus = run(['run-many', '-t', 'lint', 'typecheck', 'build', '--parallel=2', '--outputStyle=static']);
const testStatus = run(['run-many', '-t', 'test', '--parallel=1', '--outputStyle=static', '--nxBail=false']);

let passed = 0, failed = 0, skipped = 0, suitesFailed = 0;
let files = [];
try { files = readdirSync(resultsDir).filter((f) => f.endsWith('.json')); } catch { /* no results */ }
for (const f of files) {
  const r = JSON.parse(readFileSync(path.join(resultsDir, f), 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  skipped += r.numPendingTests + r.numTodoTests;
  suitesFailed += r.numRuntimeErrorTestSuites;
}
// A project whose Jest run left no results (it crashed, or found no tests) counts as one failure.
const listed = spawnSync(nx, ['show', 'projects', '--withTarget', 'test', '--json'], { cwd: root, encoding: 'utf8', env: { ...process.env, NX_DAEMON: 'false' } });
const withTests = JSON.parse(listed.stdout || '[]');
const missing = withTests.filter((p) => !files.includes(`${p}.json`));
if (missing.length > 0) {
  process.stdout.write(`projects without test results: ${missing.join(', ')}\n`);
  failed += missing.length;
}
if (suitesFailed > 0) process.stdout.write(`test suites that failed to run: ${suitesFailed}\n`);
process.stdout.write(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
const ok = staticStatus === 0 && testStatus === 0 && failed === 0 && suitesFailed === 0 && passed > 0;
process.exit(ok ? 0 : 1);
