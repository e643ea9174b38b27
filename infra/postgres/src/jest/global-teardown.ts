export default async function globalTeardown(): Promise<void> {
  await globalThis.__NOVA_PG__?.stop();
}
