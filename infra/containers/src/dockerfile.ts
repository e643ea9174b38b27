import { readFileSync } from 'node:fs';

export interface Instruction {
  keyword: string;
  args: string;
}
export interface Stage {
  from: string;
  name?: string;
  instructions: Instruction[];
}
export interface Dockerfile {
  args: Record<string, string>;
  stages: Stage[];
}

/** A Dockerfile's instructions (continuations joined, comments dropped), grouped by stage; global ARG defaults resolved in FROM. */
export function parseDockerfile(file: string): Dockerfile {
  const text = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => !/^\s*#/.test(l))
    .join('\n')
    .replace(/\\\n/g, ' ');
  const args: Record<string, string> = {};
  const stages: Stage[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    const [keyword, ...rest] = line.split(/\s+/);
    const ins = { keyword: keyword.toUpperCase(), args: rest.join(' ') };
    if (ins.keyword === 'FROM') {
      const m = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(ins.args);
      const image = (m?.[1] ?? '').replace(/\$\{?(\w+)\}?/g, (_, n: string) => args[n] ?? `$${n}`);
      stages.push({ from: image, name: m?.[2], instructions: [] });
    } else if (stages.length === 0 && ins.keyword === 'ARG') {
      const [k, v] = ins.args.split('=');
      args[k] = v ?? '';
    } else if (stages.length > 0) {
      stages[stages.length - 1].instructions.push(ins);
    }
  }
  return { args, stages };
}
