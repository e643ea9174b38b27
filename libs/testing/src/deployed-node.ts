import { readFileSync } from 'node:fs';
import path from 'node:path';
import { WORKSPACE_ROOT } from './child-service';

/** How an app's image starts Node: the flags of `CMD ["node", ...flags, "main.js"]` and the runtime stage's `NODE_OPTIONS`. */
export interface DeployedNode {
  flags: string[];
  /** `ENV NODE_OPTIONS=...` of the runtime stage, or undefined when the image sets none. */
  nodeOptions: string | undefined;
}

/**
 * Reads `apps/<app>/Dockerfile` (the one place the deployed Node settings live), so that benchmarks and the whole-chain
 * runs start each bundle exactly as its image does. Throws when the CMD is not `["node", ...flags, "main.js"]`.
 */
export function deployedNode(app: string): DeployedNode {
  const file = path.join(WORKSPACE_ROOT, 'apps', app, 'Dockerfile');
  return parseDeployedNode(readFileSync(file, 'utf8'), file);
}

/** The Node settings of a Dockerfile's text (`name` only labels errors). */
export function parseDeployedNode(dockerfile: string, name: string): DeployedNode {
  const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
  const cmd = /^CMD (\[.*\])\s*$/m.exec(runtime)?.[1];
  const argv = cmd ? (JSON.parse(cmd) as string[]) : [];
  if (argv[0] !== 'node' || argv[argv.length - 1] !== 'main.js') throw new Error(`${name}: expected CMD ["node", ...flags, "main.js"] in the last stage`);
  const env = /^ENV .*\bNODE_OPTIONS=(?:"([^"]*)"|(\S+))/m.exec(runtime);
  return { flags: argv.slice(1, -1), nodeOptions: env ? (env[1] ?? env[2]) : undefined };
}
