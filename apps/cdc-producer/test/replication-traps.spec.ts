import { randomUUID } from 'node:crypto';
import { LogicalReplicationService, type Pgoutput } from 'pg-logical-replication';
import { formatLsn, parseLsn } from '@nova/events';
import { createSilentLogger } from '@nova/logger';
import { createSql, type Sql } from '@nova/postgres';
import { createTestDatabase, type TestDatabase } from '@nova/postgres-harness';
import { waitFor } from '@nova/testing';
import { PgoutputSource, TextPgoutputPlugin, type SourceHandler } from '../src/postgres/pgoutput-source';
import { ensurePublication } from '../src/postgres/replication-setup';
import { createPlainSlot, seedBase, slotConfirmedFlush, type BaseRows } from './support/source-db';

const PUB = 'trap_pub';
const logger = createSilentLogger();

interface Tx {
  commitLsn: bigint;
  endLsn?: bigint;
  ids: string[];
}

/** Decodes the slot's pending changes (without consuming them) into transactions. */
async function peekTransactions(sql: Sql, slot: string): Promise<Tx[]> {
  const rows = await sql<{ data: Buffer }[]>`
    select data from pg_logical_slot_peek_binary_changes(${slot}, null, null, 'proto_version', '1', 'publication_names', ${PUB})`;
  const plugin = new TextPgoutputPlugin({ protoVersion: 1, publicationNames: [PUB] });
  const txs: Tx[] = [];
  let tx: Tx | undefined;
  for (const { data } of rows) {
    const msg = plugin.parse(data);
    if (msg.tag === 'begin') txs.push((tx = { commitLsn: parseLsn(msg.commitLsn!), ids: [] }));
    else if (msg.tag === 'insert' && tx) tx.ids.push(String(msg.new['id']));
    else if (msg.tag === 'commit' && tx) tx.endLsn = parseLsn(msg.commitEndLsn!);
  }
  return txs;
}

function insertMessage(sql: Sql, base: BaseRows, id: string) {
  return sql`insert into messages (id, conversation_id, sender_id, content) values (${id}, ${base.conversationId}, ${base.userId}, 'x')`;
}

/**
 * T2 inserts first but commits right after T1, so (when nothing else writes WAL in between) T2's commit record starts
 * exactly where T1's commit record ends. Retries until that adjacency is observed.
 */
async function adjacentTransactions(sql: Sql, base: BaseRows, slot: string) {
  for (let attempt = 0; attempt < 30; attempt++) {
    const t1 = randomUUID();
    const t2 = randomUUID();
    const marker = randomUUID();
    const open = await sql.reserve();
    try {
      await open`begin`;
      await insertMessage(open as unknown as Sql, base, t2);
      await insertMessage(sql, base, t1);
      await open`commit`;
    } finally {
      open.release();
    }
    await insertMessage(sql, base, marker);
    const txs = await peekTransactions(sql, slot);
    const tx1 = txs.find((t) => t.ids.includes(t1));
    const tx2 = txs.find((t) => t.ids.includes(t2));
    if (tx1?.endLsn !== undefined && tx2 && tx1.endLsn === tx2.commitLsn) return { t1, t2, marker, t1End: tx1.endLsn };
  }
  throw new Error('could not produce two adjacent commit records');
}

/** Our source, collecting inserted ids; `durable` is what it may acknowledge. */
function runOurSource(url: string, slot: string, durable: { lsn: bigint }) {
  const ids: string[] = [];
  const positions: bigint[] = [];
  const source = new PgoutputSource({
    databaseUrl: url,
    slotName: slot,
    publicationName: PUB,
    tables: ['messages'],
    logger,
    statusIntervalMs: 100,
    durableLsn: () => durable.lsn,
  });
  const handler: SourceHandler = {
    onChange: (_t, op, row) => void (op === 'insert' && ids.push(String(row['id']))),
    onPosition: (lsn) => void positions.push(lsn),
    onStreaming: () => undefined,
  };
  const running = source.run(handler);
  return { ids, positions, stop: async () => (await source.stop(), await running) };
}

/** The library used directly, as its README suggests (manual acknowledgement). */
function runLibrary(url: string, slot: string, acknowledge: { auto: boolean; timeoutSeconds?: number }) {
  const ids: string[] = [];
  const commits: bigint[] = [];
  const service = new LogicalReplicationService({ connectionString: url }, { acknowledge: acknowledge as { auto: boolean; timeoutSeconds: number } });
  service.on('error', () => undefined);
  service.on('data', (_lsn: string, msg: Pgoutput.Message) => {
    if (msg.tag === 'insert') ids.push(String(msg.new['id']));
    if (msg.tag === 'commit') commits.push(parseLsn(msg.commitEndLsn!));
  });
  const running = service.subscribe(new TextPgoutputPlugin({ protoVersion: 1, publicationNames: [PUB] }), slot).catch(() => undefined);
  return { service, ids, commits, stop: async () => (await service.destroy(), await running) };
}

describe('pg-logical-replication traps', () => {
  let db: TestDatabase;
  let sql: Sql;
  let base: BaseRows;
  const stops: Array<() => Promise<unknown>> = [];

  beforeAll(async () => {
    db = await createTestDatabase('cdc_traps');
    sql = createSql(db.url, { max: 4 });
    base = await seedBase(sql);
    await ensurePublication(sql, PUB, ['messages']);
  });
  afterEach(async () => {
    for (const stop of stops.splice(0)) await stop().catch(() => undefined);
  });
  afterAll(async () => {
    await sql?.end();
    await db?.drop();
  });

  it('trap 1: acknowledge(lsn) sends lsn+1 and loses an adjacent transaction; our exact acknowledgement does not', async () => {
    await createPlainSlot(db.url, 'trap1_lib');
    await createPlainSlot(db.url, 'trap1_ours');
    const { t2, marker, t1End } = await adjacentTransactions(sql, base, 'trap1_ours');

    // The library as documented: acknowledge the end of T1's commit once T1 is "done".
    const lib = runLibrary(db.url, 'trap1_lib', { auto: false, timeoutSeconds: 0 });
    stops.push(lib.stop);
    await waitFor(() => lib.commits.includes(t1End), { what: 'T1 commit from the library' });
    await lib.service.acknowledge(formatLsn(t1End));
    await waitFor(async () => (await slotConfirmedFlush(sql, 'trap1_lib')) === formatLsn(t1End + 1n), { what: 'confirmed_flush = T1 end + 1' });
    await lib.stop();
    const libAgain = runLibrary(db.url, 'trap1_lib', { auto: false, timeoutSeconds: 0 });
    stops.push(libAgain.stop);
    await waitFor(() => libAgain.ids.includes(marker), { what: 'marker after restart (library)' });
    expect(libAgain.ids).not.toContain(t2); // T2 committed, never acknowledged by anyone, and skipped: the trap

    // Ours: acknowledges exactly the end of T1; after a restart T2 is delivered.
    const durable = { lsn: 0n };
    const ours = runOurSource(db.url, 'trap1_ours', durable);
    stops.push(ours.stop);
    await waitFor(() => ours.positions.includes(t1End), { what: 'T1 commit from our source' });
    durable.lsn = t1End;
    await waitFor(async () => (await slotConfirmedFlush(sql, 'trap1_ours')) === formatLsn(t1End), { what: 'confirmed_flush = T1 end' });
    await ours.stop();
    const oursAgain = runOurSource(db.url, 'trap1_ours', durable);
    stops.push(oursAgain.stop);
    await waitFor(() => oursAgain.ids.includes(marker), { what: 'marker after restart (ours)' });
    expect(oursAgain.ids).toContain(t2);
    expect(oursAgain.ids.indexOf(t2)).toBeLessThan(oursAgain.ids.indexOf(marker));
  });

  it('trap 2: with auto:false the library still acknowledges received positions on a timer; our source never does', async () => {
    await createPlainSlot(db.url, 'trap2_lib');
    await createPlainSlot(db.url, 'trap2_ours');
    const libStart = await slotConfirmedFlush(sql, 'trap2_lib');
    const oursStart = await slotConfirmedFlush(sql, 'trap2_ours');
    const id = randomUUID();
    await insertMessage(sql, base, id);

    const lib = runLibrary(db.url, 'trap2_lib', { auto: false }); // timeoutSeconds left at its default (10)
    stops.push(lib.stop);
    const ours = runOurSource(db.url, 'trap2_ours', { lsn: parseLsn(oursStart!) }); // Kafka "never acknowledges"
    stops.push(ours.stop);
    await waitFor(() => lib.ids.includes(id) && ours.ids.includes(id), { what: 'both received the insert' });

    // Nobody called acknowledge(), yet the library moves the slot past the unpublished insert after ~10 s.
    await waitFor(async () => (await slotConfirmedFlush(sql, 'trap2_lib')) !== libStart, { timeoutMs: 25_000, intervalMs: 250, what: 'library timer ack' });
    expect(parseLsn((await slotConfirmedFlush(sql, 'trap2_lib'))!)).toBeGreaterThan(lib.commits[0]! - 1n);
    // Ours sent status updates every 100 ms all along, always with the durable position only.
    expect(await slotConfirmedFlush(sql, 'trap2_ours')).toBe(oursStart);
  });
});
