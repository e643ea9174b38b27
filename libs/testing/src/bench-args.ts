/** A numeric command-line option of a benchmark script: `--name <number>`, or `fallback` when absent. */
export function numberArg(name: string, fallback: number, argv: readonly string[] = process.argv): number {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
}
