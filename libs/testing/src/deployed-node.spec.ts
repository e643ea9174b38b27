import { deployedNode, parseDeployedNode } from './deployed-node';

const image = (runtime: string) => `FROM node:20 AS build\nENV NODE_OPTIONS=--build-only\nCMD ["node", "--build", "main.js"]\n\nFROM node:20 AS runtime\n${runtime}`;

describe('parseDeployedNode', () => {
  it('reads the last stage: CMD flags and a quoted or bare NODE_OPTIONS', () => {
    expect(parseDeployedNode(image('ENV NODE_ENV=production NODE_OPTIONS="--a=1 --b"\nCMD ["node", "--enable-source-maps", "--x=2", "main.js"]'), 'x')).toEqual({
      flags: ['--enable-source-maps', '--x=2'],
      nodeOptions: '--a=1 --b',
    });
    expect(parseDeployedNode(image('ENV NODE_OPTIONS=--a=1\nCMD ["node", "main.js"]'), 'x')).toEqual({ flags: [], nodeOptions: '--a=1' });
    expect(parseDeployedNode(image('CMD ["node", "main.js"]'), 'x')).toEqual({ flags: [], nodeOptions: undefined });
  });

  it('refuses an image that does not start main.js with node', () => {
    expect(() => parseDeployedNode(image('CMD ["npm", "start"]'), 'apps/x/Dockerfile')).toThrow('apps/x/Dockerfile: expected CMD');
    expect(() => parseDeployedNode(image('ENTRYPOINT ["node"]'), 'x')).toThrow();
  });
});

describe('deployedNode', () => {
  it.each(['cdc-producer', 'indexer-worker', 'search-api'])('reads apps/%s/Dockerfile', (app) => {
    const node = deployedNode(app);
    for (const flag of [...node.flags, ...(node.nodeOptions?.split(' ') ?? [])]) expect(flag).toMatch(/^--/);
  });
});
