import { randomUUID } from 'node:crypto';
import { Kafka } from 'kafkajs';
import { waitFor } from '@nova/testing';
import { compareIndexWithPostgres } from '../e2e/index-consistency';
import { PipelineFixture } from '../e2e/pipeline-fixture';
import { createWorld, runMixedWorkload, type WorkloadWorld } from '../e2e/workload';

const word = () => `zq${randomUUID().replace(/-/g, '').slice(0, 10)}`;

describe('the whole chain: PostgreSQL -> cdc-producer -> Kafka -> indexer-worker -> Elasticsearch -> search-api', () => {
  let p: PipelineFixture;
  let world: WorkloadWorld;

  beforeAll(async () => {
    p = await PipelineFixture.start();
    world = await createWorld(p.sql);
  }, 120_000);
  afterAll(async () => {
    await p?.stop();
  }, 60_000);

  const messageHits = async (q: string, userId: string) => {
    const { status, body } = await p.searchApi(`/api/v1/search/messages?q=${encodeURIComponent(q)}`, userId);
    expect(status).toBe(200);
    return body.hits.map((h) => h.id);
  };
  const postHits = async (q: string) => {
    const { status, body } = await p.searchApi(`/api/v1/search/posts?q=${encodeURIComponent(q)}`);
    expect(status).toBe(200);
    return body.hits.map((h) => h.id);
  };

  it('makes a message searchable on insert, follows its edits, and hides it on soft and hard delete', async () => {
    const [conversation] = world.conversations;
    const member = conversation.members[0];
    const [first, second, edited] = [word(), word(), word()];
    const a = randomUUID();
    const b = randomUUID();
    await p.sql`insert into messages ${p.sql([
      { id: a, conversation_id: conversation.id, sender_id: member, content: `hello ${first}` },
      { id: b, conversation_id: conversation.id, sender_id: member, content: `bye ${second}` },
    ])}`;
    await waitFor(async () => (await messageHits(first, member)).includes(a), { timeoutMs: 20_000, what: 'inserted message searchable' });

    await p.sql`update messages set content = ${`hello ${edited}`}, edited_at = now() where id = ${a}`;
    await waitFor(async () => (await messageHits(edited, member)).includes(a), { timeoutMs: 20_000, what: 'edited content searchable' });
    expect(await messageHits(first, member)).toEqual([]);

    await p.sql`update messages set deleted_at = now() where id = ${a}`;
    await waitFor(async () => (await messageHits(edited, member)).length === 0, { timeoutMs: 20_000, what: 'soft-deleted message hidden' });

    await waitFor(async () => (await messageHits(second, member)).includes(b), { timeoutMs: 20_000, what: 'second message searchable' });
    await p.sql`delete from messages where id = ${b}`;
    await waitFor(async () => (await messageHits(second, member)).length === 0, { timeoutMs: 20_000, what: 'hard-deleted message hidden' });
  });

  it('does the same for posts, and never shows a private post to the public', async () => {
    const author = world.users[0];
    const [w1, w2, w3] = [word(), word(), word()];
    const pub = randomUUID();
    const priv = randomUUID();
    await p.sql`insert into posts ${p.sql([
      { id: pub, author_id: author, title: `title ${w1}`, content: `public ${w3}`, visibility: 'public' },
      { id: priv, author_id: author, title: 'secret', content: `private ${w3}`, visibility: 'private' },
    ])}`;
    await waitFor(async () => (await postHits(w1)).includes(pub), { timeoutMs: 20_000, what: 'post searchable' });
    expect(await postHits(w3)).toEqual([pub]);

    await p.sql`update posts set title = ${`title ${w2}`}, updated_at = now() where id = ${pub}`;
    await waitFor(async () => (await postHits(w2)).includes(pub), { timeoutMs: 20_000, what: 'edited post searchable' });
    await p.sql`update posts set deleted_at = now() where id = ${pub}`;
    await waitFor(async () => (await postHits(w2)).length === 0, { timeoutMs: 20_000, what: 'soft-deleted post hidden' });
    await p.sql`delete from posts where id = ${priv}`;
  });

  it('indexes the original flat payload produced straight to message_persisted', async () => {
    const [, conversation] = world.conversations;
    const member = conversation.members[1];
    const marker = word();
    const id = randomUUID();
    const kafka = new Kafka({ clientId: 'legacy-publisher', brokers: p.kafka.brokers, logLevel: 0 });
    const producer = kafka.producer();
    await producer.connect();
    const value = `{"message_id":"${id}","conversation_id":"${conversation.id}","sender_id":"${member}","content":"legacy ${marker}"}`;
    await producer.send({ topic: 'message_persisted', messages: [{ value }] });
    await waitFor(async () => (await messageHits(marker, member)).includes(id), { timeoutMs: 20_000, what: 'legacy payload searchable' });
    // Not a member: the message stays private.
    const outsider = world.users.find((u) => !conversation.members.includes(u))!;
    expect(await messageHits(marker, outsider)).toEqual([]);
    // Its flat delete, as the original publishers send it, removes it again.
    const ids = `{"message_id":"${id}","conversation_id":"${conversation.id}","sender_id":"${member}"}`;
    await producer.send({ topic: 'message_deleted', messages: [{ value: ids }] });
    await producer.disconnect();
    await waitFor(async () => (await messageHits(marker, member)).length === 0, { timeoutMs: 20_000, what: 'legacy delete applied' });
  });

  it('after a workload, the live documents behind nova_messages equal the live rows, row by row', async () => {
    await runMixedWorkload(p.sql, world, { changes: 3000, batch: 40, seed: 11 });
    const report = await waitFor(
      async () => {
        const r = await compareIndexWithPostgres(p.sql, p.es);
        if (r.problems.length > 0) throw new Error(`${r.problems.length} differences, e.g.\n${r.problems.slice(0, 5).join('\n')}`);
        return r;
      },
      { timeoutMs: 60_000, intervalMs: 500, what: 'index to converge on PostgreSQL' },
    );
    // The operators' manual check of the original system, automated.
    const { count } = await p.es.count({ index: 'nova_messages', query: { term: { deleted: false } } });
    const [{ n }] = await p.sql<{ n: bigint }[]>`select count(*)::bigint as n from messages where deleted_at is null`;
    expect(count).toBe(Number(n));
    expect(report.live.messages).toBe(Number(n));
  });
});
