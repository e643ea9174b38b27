import Module from 'node:module';
import path from 'node:path';

/**
 * Standalone runner: `npm run embedded:es -- --port 9200 [--host 127.0.0.1]` (`serve.ts` does the work). Started
 * from source (tsx), it first bundles `serve.ts` with esbuild in memory (~0.2 s) and runs the bundle in this process:
 * the stand-in's code then runs as one script, as a deployed service's production bundle does, which `npm run bench:es`
 * measured faster than tsx's per-file transform (docs/benchmarks.md, embedded-elasticsearch, fifth pass). If esbuild
 * cannot be loaded, the source runs as it is.
 */
function runBundled(): boolean {
  let build: typeof import('esbuild').buildSync;
  try {
    build = (require('esbuild') as typeof import('esbuild')).buildSync;
  } catch (err) {
    process.stderr.write(`${JSON.stringify({ level: 'warn', service: 'embedded-elasticsearch', message: 'esbuild unavailable, running from source', error: String(err) })}\n`);
    return false;
  }
  const entry = path.join(__dirname, 'serve.ts');
  const out = build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', target: 'node20', write: false, sourcemap: 'inline', logLevel: 'silent' });
  const filename = path.join(__dirname, 'serve.bundle.cjs');
  const bundle = new Module(filename, module) as Module & { _compile(code: string, filename: string): void };
  bundle.filename = filename;
  bundle.paths = module.paths;
  bundle._compile(out.outputFiles[0].text, filename);
  return true;
}

// Running from source (tsx), bundle; already bundled (or compiled), run `serve` directly.
if (!__filename.endsWith('.ts') || !runBundled()) {
  require('./serve');
}
