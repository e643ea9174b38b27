import { ErrorCode } from '../errors';
import { silentLogger } from '../logger';
import { waitFor } from '@nova/testing';
import type { JoinResult } from './group';
import { GroupCoordinator, type JoinRequest } from './group-coordinator';
import { commitOffsets, deleteGroup, describeGroup } from './group-offsets';

const protocols = [{ name: 'range', metadata: Buffer.from('m') }];
const joinReq = (memberId: string, extra: Partial<JoinRequest> = {}): JoinRequest => ({
  groupId: 'g',
  memberId,
  groupInstanceId: null,
  clientId: 'c',
  clientHost: '127.0.0.1',
  sessionTimeoutMs: 200,
  rebalanceTimeoutMs: 1000,
  protocolType: 'consumer',
  protocols,
  requireKnownMemberId: true,
  ...extra,
});

/** KIP-394 two-step join: MEMBER_ID_REQUIRED, then join with the id handed out. */
async function joinNew(gc: GroupCoordinator, extra: Partial<JoinRequest> = {}): Promise<JoinResult> {
  const first = (await gc.join(joinReq('', extra))) as JoinResult;
  expect(first.errorCode).toBe(ErrorCode.MEMBER_ID_REQUIRED);
  return gc.join(joinReq(first.memberId, extra));
}

describe('GroupCoordinator', () => {
  let gc: GroupCoordinator;
  beforeEach(() => {
    gc = new GroupCoordinator({ minSessionTimeoutMs: 100, maxSessionTimeoutMs: 10_000, initialRebalanceDelayMs: 0 }, silentLogger);
  });
  afterEach(() => gc.close());

  it('runs a member through join and sync to Stable, and checks generations', async () => {
    const joined = await joinNew(gc);
    expect(joined).toMatchObject({ errorCode: 0, generationId: 1, protocolName: 'range' });
    expect(joined.leaderId).toBe(joined.memberId);
    expect(joined.members).toHaveLength(1);
    expect(gc.heartbeat('g', 1, joined.memberId)).toBe(ErrorCode.NONE); // CompletingRebalance: alive, no error
    expect(await gc.sync('g', 0, joined.memberId, [])).toMatchObject({ errorCode: ErrorCode.ILLEGAL_GENERATION });
    const synced = await gc.sync('g', 1, joined.memberId, [{ memberId: joined.memberId, assignment: Buffer.from('a') }]);
    expect(synced).toEqual({ errorCode: 0, assignment: Buffer.from('a') });
    expect(describeGroup(gc, 'g').state).toBe('Stable');
    expect(gc.heartbeat('g', 2, joined.memberId)).toBe(ErrorCode.ILLEGAL_GENERATION);
    expect(gc.heartbeat('g', 1, 'nobody')).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    const commit = (generationId: number, memberId: string) =>
      commitOffsets(gc, { groupId: 'g', generationId, memberId, topics: [{ name: 't', partitions: [{ index: 0, offset: 5, metadata: null }] }] }, () => true)[0]?.partitions[0]?.errorCode;
    expect(commit(1, joined.memberId)).toBe(0);
    expect(commit(7, joined.memberId)).toBe(ErrorCode.ILLEGAL_GENERATION);
    expect(commit(-1, '')).toBe(ErrorCode.UNKNOWN_MEMBER_ID); // simple commits only for empty groups
    expect(deleteGroup(gc, 'g')).toBe(ErrorCode.NON_EMPTY_GROUP);
  });

  it('refuses bad session timeouts, unknown members and inconsistent protocols', async () => {
    expect(await gc.join(joinReq('', { sessionTimeoutMs: 50 }))).toMatchObject({ errorCode: ErrorCode.INVALID_SESSION_TIMEOUT });
    expect(await gc.join(joinReq('ghost'))).toMatchObject({ errorCode: ErrorCode.UNKNOWN_MEMBER_ID });
    const a = await joinNew(gc);
    expect(a.errorCode).toBe(0);
    expect(await gc.join(joinReq('', { protocols: [{ name: 'other', metadata: Buffer.alloc(0) }] }))).toMatchObject({
      errorCode: ErrorCode.INCONSISTENT_GROUP_PROTOCOL,
    });
  });

  it('rebalances when a second member joins: the first learns it from its heartbeat and rejoins', async () => {
    const a = await joinNew(gc, { sessionTimeoutMs: 5000 });
    await gc.sync('g', 1, a.memberId, [{ memberId: a.memberId, assignment: Buffer.from('all') }]);
    const bJoin = joinNew(gc, { sessionTimeoutMs: 5000 });
    await waitFor(() => describeGroup(gc, 'g').state === 'PreparingRebalance');
    expect(gc.heartbeat('g', 1, a.memberId)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    const [aAgain, b] = await Promise.all([gc.join(joinReq(a.memberId, { sessionTimeoutMs: 5000 })), bJoin]);
    expect(aAgain.generationId).toBe(2);
    expect(b.generationId).toBe(2);
    expect(aAgain.members).toHaveLength(2); // a stays leader and gets everyone's metadata
    expect(b.members).toHaveLength(0);
  });

  it('expires a silent member after its session timeout and empties the group', async () => {
    const a = await joinNew(gc);
    await gc.sync('g', 1, a.memberId, []);
    await waitFor(() => describeGroup(gc, 'g').state === 'Empty', { timeoutMs: 3000, what: 'session expiry' });
    expect(gc.heartbeat('g', 1, a.memberId)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(deleteGroup(gc, 'g')).toBe(ErrorCode.NONE);
    expect(deleteGroup(gc, 'g')).toBe(ErrorCode.GROUP_ID_NOT_FOUND);
  });
});
