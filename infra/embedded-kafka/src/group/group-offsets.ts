import { ErrorCode } from '../errors';
import { Group } from './group';
import type { GroupCoordinator } from './group-coordinator';

export interface OffsetCommitInput {
  groupId: string;
  generationId: number;
  memberId: string;
  topics: Array<{ name: string; partitions: Array<{ index: number; offset: number; metadata: string | null }> }>;
}

/**
 * OffsetCommit, following Kafka's doCommitOffsets: a "simple" commit (generation -1, no member id) is accepted for an
 * empty or unknown group; a member's commit needs a known member and the current generation, and is refused with
 * REBALANCE_IN_PROGRESS while the group awaits its SyncGroup (CompletingRebalance). Returns one error per partition.
 */
export function commitOffsets(
  coordinator: GroupCoordinator,
  input: OffsetCommitInput,
  partitionExists: (topic: string, partition: number) => boolean,
): Array<{ name: string; partitions: Array<{ index: number; errorCode: number }> }> {
  const all = (errorCode: number) => input.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ index: p.index, errorCode })) }));
  if (input.groupId === '') return all(ErrorCode.INVALID_GROUP_ID);
  let group = coordinator.groups.get(input.groupId);
  if (input.generationId < 0 && input.memberId === '') {
    if (!group) {
      group = new Group(input.groupId);
      coordinator.groups.set(input.groupId, group);
    }
    if (group.state !== 'Empty') return all(ErrorCode.UNKNOWN_MEMBER_ID);
  } else {
    const member = group?.members.get(input.memberId);
    if (!group || !member) return all(ErrorCode.UNKNOWN_MEMBER_ID);
    if (input.generationId !== group.generationId) return all(ErrorCode.ILLEGAL_GENERATION);
    if (group.state === 'CompletingRebalance') return all(ErrorCode.REBALANCE_IN_PROGRESS);
    coordinator.heartbeat(group.groupId, input.generationId, input.memberId); // a commit counts as liveness
  }
  const target = group;
  return input.topics.map((t) => ({
    name: t.name,
    partitions: t.partitions.map((p) => {
      if (!partitionExists(t.name, p.index)) return { index: p.index, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
      let byPartition = target.offsets.get(t.name);
      if (!byPartition) target.offsets.set(t.name, (byPartition = new Map()));
      byPartition.set(p.index, { offset: p.offset, metadata: p.metadata });
      return { index: p.index, errorCode: 0 };
    }),
  }));
}

/** OffsetFetch: committed offsets, -1 where none; `topics` null = every partition the group has committed. */
export function fetchOffsets(
  coordinator: GroupCoordinator,
  groupId: string,
  topics: Array<{ name: string; partitions: number[] }> | null,
): Array<{ name: string; partitions: Array<{ index: number; offset: number; metadata: string | null; errorCode: number }> }> {
  const group = coordinator.groups.get(groupId);
  const wanted =
    topics ?? [...(group?.offsets.entries() ?? [])].map(([name, parts]) => ({ name, partitions: [...parts.keys()].sort((a, b) => a - b) }));
  return wanted.map((t) => ({
    name: t.name,
    partitions: t.partitions.map((index) => {
      const c = group?.offsets.get(t.name)?.get(index);
      return { index, offset: c?.offset ?? -1, metadata: c ? c.metadata : '', errorCode: 0 };
    }),
  }));
}

/** DescribeGroups for one group; an unknown group is reported as Dead with no error, as Kafka does. */
export function describeGroup(coordinator: GroupCoordinator, groupId: string) {
  const group = coordinator.groups.get(groupId);
  if (!group) return { errorCode: 0, groupId, state: 'Dead', protocolType: '', protocolData: '', members: [] };
  const stable = group.state === 'Stable';
  return {
    errorCode: 0,
    groupId,
    state: group.state,
    protocolType: group.protocolType ?? '',
    protocolData: group.protocolName ?? '',
    members: [...group.members.values()].map((m) => ({
      memberId: m.memberId,
      clientId: m.clientId,
      clientHost: m.clientHost,
      metadata: group.metadataFor(m),
      assignment: stable ? m.assignment : Buffer.alloc(0),
    })),
  };
}

/** DeleteGroups for one group: GROUP_ID_NOT_FOUND, NON_EMPTY_GROUP, or deleted with its offsets. */
export function deleteGroup(coordinator: GroupCoordinator, groupId: string): number {
  const group = coordinator.groups.get(groupId);
  if (!group) return ErrorCode.GROUP_ID_NOT_FOUND;
  if (group.state !== 'Empty') return ErrorCode.NON_EMPTY_GROUP;
  for (const t of group.pendingMembers.values()) clearTimeout(t);
  group.state = 'Dead';
  coordinator.groups.delete(groupId);
  return ErrorCode.NONE;
}
