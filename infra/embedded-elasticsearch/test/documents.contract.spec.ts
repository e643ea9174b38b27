import { MESSAGE_MAPPINGS, indexSettings } from '@nova/search-index';
import { waitFor } from '@nova/testing';
import { failure, message, startTarget, type EsTarget } from './support/es-target';

let es: EsTarget;
beforeAll(async () => {
  es = await startTarget();
});
afterAll(async () => {
  await es?.stop();
});

async function messagesIndex(settings: Record<string, unknown> = {}): Promise<string> {
  const index = es.name('messages');
  await es.client.indices.create({ index, settings: { ...indexSettings(), ...settings }, mappings: MESSAGE_MAPPINGS as never });
  return index;
}

describe('documents: index, get, delete and versions', () => {
  it('indexes, gets in real time, updates and deletes with seq_no, primary_term and versions', async () => {
    const index = await messagesIndex({ refresh_interval: '-1' });
    const created = await es.client.index({ index, id: 'm1', document: message('m1', 'hello') });
    expect(created).toMatchObject({ _index: index, _id: 'm1', _version: 1, result: 'created', _seq_no: 0, _primary_term: 1 });
    const got = await es.client.get({ index, id: 'm1' });
    expect(got).toMatchObject({ found: true, _version: 1, _seq_no: 0, _primary_term: 1, _source: { content: 'hello' } });
    const updated = await es.client.index({ index, id: 'm1', document: message('m1', 'hello again') });
    expect(updated).toMatchObject({ _version: 2, result: 'updated', _seq_no: 1 });
    const deleted = await es.client.delete({ index, id: 'm1' });
    expect(deleted).toMatchObject({ _version: 3, result: 'deleted', _seq_no: 2 });
    expect(await es.client.exists({ index, id: 'm1' })).toBe(false);
    const missing = await failure(es.client.get({ index, id: 'm1' }));
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ _index: index, _id: 'm1', found: false });
    const notFound = await failure(es.client.delete({ index, id: 'never' }));
    expect(notFound.status).toBe(404);
    expect(notFound.body).toMatchObject({ result: 'not_found' });
  });

  it('create fails with 409 when the document exists', async () => {
    const index = await messagesIndex();
    await es.client.create({ index, id: 'm1', document: message('m1', 'a') });
    const conflict = await failure(es.client.create({ index, id: 'm1', document: message('m1', 'b') }));
    expect(conflict.status).toBe(409);
    expect(conflict.body.error.type).toBe('version_conflict_engine_exception');
    expect(conflict.body.error.reason).toBe('[m1]: version conflict, document already exists (current version [1])');
  });

  it('external versions write only when greater; external_gte when greater or equal', async () => {
    const index = await messagesIndex();
    await es.client.index({ index, id: 'x', version: 10, version_type: 'external', document: message('x', 'v10') });
    const lower = await failure(es.client.index({ index, id: 'x', version: 10, version_type: 'external', document: message('x', 'again') }));
    expect(lower.status).toBe(409);
    expect(lower.body.error.reason).toBe('[x]: version conflict, current version [10] is higher or equal to the one provided [10]');
    const gte = await es.client.index({ index, id: 'x', version: 10, version_type: 'external_gte', document: message('x', 'same') });
    expect(gte).toMatchObject({ _version: 10, result: 'updated' });
    const older = await failure(es.client.index({ index, id: 'x', version: 9, version_type: 'external_gte', document: message('x', 'old') }));
    expect(older.status).toBe(409);
    expect(older.body.error).toMatchObject({ type: 'version_conflict_engine_exception', reason: '[x]: version conflict, current version [10] is higher than the one provided [9]', index });
    expect((await es.client.get({ index, id: 'x' }))._source).toMatchObject({ content: 'same' });
  });

  it('if_seq_no / if_primary_term guard writes', async () => {
    const index = await messagesIndex();
    const first = await es.client.index({ index, id: 'q', document: message('q', 'one') });
    await es.client.index({ index, id: 'q', if_seq_no: first._seq_no, if_primary_term: first._primary_term, document: message('q', 'two') });
    const stale = await failure(es.client.index({ index, id: 'q', if_seq_no: first._seq_no, if_primary_term: first._primary_term, document: message('q', 'three') }));
    expect(stale.status).toBe(409);
    expect(stale.body.error.reason).toBe(`[q]: version conflict, required seqNo [${first._seq_no}], primary term [1]. current document has seqNo [${(first._seq_no ?? 0) + 1}] and primary term [1]`);
  });

  it('rejects internal versioning with a version (400)', async () => {
    const index = await messagesIndex();
    const res = await failure(es.client.index({ index, id: 'v', version: 3, document: message('v', 'x') }));
    expect(res.status).toBe(400);
    expect(res.body.error.type).toBe('action_request_validation_exception');
  });

  it('a versioned delete blocks older writes for index.gc_deletes, then is forgotten', async () => {
    const index = await messagesIndex({ gc_deletes: '1s' });
    await es.client.index({ index, id: 'd', version: 5, version_type: 'external_gte', document: message('d', 'live') });
    await es.client.delete({ index, id: 'd', version: 6, version_type: 'external_gte' });
    const blocked = await failure(es.client.index({ index, id: 'd', version: 5, version_type: 'external_gte', document: message('d', 'late') }));
    expect(blocked.status).toBe(409);
    await waitFor(async () => {
      const res = await es.client.index({ index, id: 'd', version: 5, version_type: 'external_gte', document: message('d', 'resurrected') });
      return res.result === 'created';
    }, { timeoutMs: 10_000 });
    expect((await es.client.get({ index, id: 'd' }))._source).toMatchObject({ content: 'resurrected' });
  });

  it('rejects fields outside a strict mapping and values of the wrong type', async () => {
    const index = await messagesIndex();
    const strict = await failure(es.client.index({ index, id: 's', document: { ...message('s', 'x'), extra: 1 } }));
    expect(strict.status).toBe(400);
    expect(strict.body.error.type).toBe('strict_dynamic_mapping_exception');
    expect(strict.body.error.reason).toContain('mapping set to strict, dynamic introduction of [extra] within [_doc] is not allowed');
    const badDate = await failure(es.client.index({ index, id: 's', document: { ...message('s', 'x'), created_at: 'yesterday' } }));
    expect(badDate.status).toBe(400);
    expect(badDate.body.error.type).toBe('document_parsing_exception');
  });
});

describe('near-real-time refresh', () => {
  it('a search sees a write only after a refresh', async () => {
    const index = await messagesIndex({ refresh_interval: '-1' });
    await es.client.index({ index, id: 'r', document: message('r', 'visible later') });
    expect((await es.client.count({ index })).count).toBe(0);
    expect((await es.client.get({ index, id: 'r' })).found).toBe(true);
    await es.client.indices.refresh({ index });
    expect((await es.client.count({ index })).count).toBe(1);
  });

  it('refresh=true and refresh=wait_for make the write searchable when they return', async () => {
    const index = await messagesIndex({ refresh_interval: '200ms' });
    const forced = await es.client.index({ index, id: 'a', refresh: true, document: message('a', 'one') });
    expect(forced.forced_refresh).toBe(true);
    expect((await es.client.count({ index })).count).toBe(1);
    await es.client.index({ index, id: 'b', refresh: 'wait_for', document: message('b', 'two') });
    expect((await es.client.count({ index })).count).toBe(2);
  });

  it('periodic refresh follows refresh_interval', async () => {
    const index = await messagesIndex({ refresh_interval: '100ms' });
    await es.client.index({ index, id: 'p', document: message('p', 'periodic') });
    await waitFor(async () => (await es.client.count({ index })).count === 1, { timeoutMs: 5000 });
  });
});

describe('_bulk', () => {
  it('returns per-item results and sets errors on partial failure', async () => {
    const index = await messagesIndex();
    const res = await es.client.bulk({
      refresh: true,
      operations: [
        { index: { _index: index, _id: '1', version: 3, version_type: 'external_gte' } }, message('1', 'first'),
        { create: { _index: index, _id: '2' } }, message('2', 'second'),
        { create: { _index: index, _id: '2' } }, message('2', 'duplicate'),
        { index: { _index: index, _id: '1', version: 2, version_type: 'external_gte' } }, message('1', 'older'),
        { index: { _index: index, _id: '3' } }, { ...message('3', 'x'), unknown_field: true },
        { delete: { _index: index, _id: '2' } },
        { delete: { _index: index, _id: 'missing' } },
        { update: { _index: index, _id: '1' } }, { doc: { content: 'patched' } },
      ],
    });
    expect(res.errors).toBe(true);
    const items = res.items.map((i) => Object.entries(i)[0]).map(([action, r]) => [action, r.status, r.result ?? r.error?.type]);
    expect(items).toEqual([
      ['index', 201, 'created'],
      ['create', 201, 'created'],
      ['create', 409, 'version_conflict_engine_exception'],
      ['index', 409, 'version_conflict_engine_exception'],
      ['index', 400, 'strict_dynamic_mapping_exception'],
      ['delete', 200, 'deleted'],
      ['delete', 404, 'not_found'],
      ['update', 200, 'updated'],
    ]);
    expect(res.items[0].index).toMatchObject({ _index: index, _id: '1', _version: 3, _seq_no: 0, _primary_term: 1 });
    expect((await es.client.get({ index, id: '1' }))._source).toMatchObject({ content: 'patched', sender_id: 's1' });
    expect((await es.client.count({ index })).count).toBe(1);
  });

  it('answers errors:false when every item succeeds, through an alias', async () => {
    const index = await messagesIndex();
    const alias = es.name('alias');
    await es.client.indices.updateAliases({ actions: [{ add: { index, alias } }] });
    const res = await es.client.bulk({ index: alias, refresh: 'wait_for', operations: [{ index: { _id: 'a' } }, message('a', 'x'), { index: { _id: 'b' } }, message('b', 'y')] });
    expect(res.errors).toBe(false);
    expect(res.items.map((i) => i.index?._index)).toEqual([index, index]);
    expect((await es.client.count({ index: alias })).count).toBe(2);
  });
});

describe('_delete_by_query', () => {
  it('deletes the matching documents', async () => {
    const index = await messagesIndex();
    await es.client.bulk({ index, refresh: true, operations: ['a', 'b', 'c'].flatMap((id) => [{ index: { _id: id } }, { ...message(id, `text ${id}`), sender_id: id === 'c' ? 'keep' : 'drop' }]) });
    const res = await es.client.deleteByQuery({ index, refresh: true, query: { term: { sender_id: 'drop' } } });
    expect(res).toMatchObject({ total: 2, deleted: 2, version_conflicts: 0, failures: [] });
    expect((await es.client.count({ index })).count).toBe(1);
  });
});
