import { execFileSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');

/**
 * The tag constraints are real: these imports, placed in the projects' own source folders, must be rejected
 * by the same ESLint configuration `nx lint` uses.
 */
describe('module boundaries', () => {
  beforeAll(() => {
    // The boundary rule reads Nx's project graph; make sure it is computed.
    execFileSync(path.join(root, 'node_modules/.bin/nx'), ['show', 'projects'], { cwd: root, env: { ...process.env, NX_DAEMON: 'false' }, stdio: 'pipe' });
  });

  // The ESLint CLI in a child process: exactly what `nx lint` runs (Jest's VM cannot load the ESM config).
  async function boundaryErrors(file: string, code: string): Promise<string[]> {
    let out: string;
    try {
      out = execFileSync(path.join(root, 'node_modules/.bin/eslint'), ['--stdin', '--stdin-filename', file, '--format', 'json'], { cwd: root, input: code, stdio: 'pipe' }).toString();
    } catch (err) {
      out = String((err as { stdout: Buffer }).stdout);
    }
    const [result] = JSON.parse(out) as Array<{ messages: Array<{ ruleId: string; message: string }> }>;
    return result.messages.filter((m) => m.ruleId === '@nx/enforce-module-boundaries').map((m) => m.message);
  }

  it('rejects an app importing another app', async () => {
    const errors = await boundaryErrors('apps/search-api/src/violation.ts', "import '../../indexer-worker/src/main';\n");
    expect(errors.length).toBeGreaterThan(0);
  });

  it('rejects a lib importing an app', async () => {
    const errors = await boundaryErrors('libs/events/src/violation.ts', "export * from '../../../apps/search-api/src/main';\n");
    expect(errors.join('\n')).toMatch(/Projects cannot be imported by a relative or absolute path/);
  });

  it('rejects a util lib leaning on a domain lib', async () => {
    expect((await boundaryErrors('libs/config/src/violation.ts', "export * from '@nova/events';\n")).join('\n')).toMatch(/"type:util" can only depend on/);
  });

  it('rejects app production code importing a test stand-in, but allows it in tests', async () => {
    const code = "export { startPostgres } from '@nova/postgres-harness';\n";
    expect((await boundaryErrors('apps/cdc-producer/src/violation.ts', code)).join('\n')).toMatch(/"type:app" can only depend on/);
    expect(await boundaryErrors('apps/cdc-producer/test/allowed.spec.ts', code)).toEqual([]);
  });

  it('allows an app to use shared libs', async () => {
    expect(await boundaryErrors('apps/search-api/src/ok.ts', "export { createLogger } from '@nova/logger';\n")).toEqual([]);
  });
});
