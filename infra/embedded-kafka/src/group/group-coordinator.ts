import { randomUUID } from 'node:crypto';
import { ErrorCode } from '../errors';
import type { BrokerLogger } from '../logger';
import { Group, sameProtocols, type JoinResult, type Member, type Protocol, type SyncResult } from './group';

/** Group coordinator settings; the defaults are Apache Kafka's broker defaults. */
export interface GroupTimings {
  /** group.min.session.timeout.ms (Kafka: 6000). */
  minSessionTimeoutMs: number;
  /** group.max.session.timeout.ms (Kafka: 1800000). */
  maxSessionTimeoutMs: number;
  /** group.initial.rebalance.delay.ms (Kafka: 3000). */
  initialRebalanceDelayMs: number;
}

export const DEFAULT_GROUP_TIMINGS: GroupTimings = { minSessionTimeoutMs: 6000, maxSessionTimeoutMs: 1_800_000, initialRebalanceDelayMs: 3000 };

export interface JoinRequest {
  groupId: string;
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  protocolType: string;
  protocols: Protocol[];
  /** JoinGroup v4+: a first join without member id is answered with MEMBER_ID_REQUIRED (KIP-394). */
  requireKnownMemberId: boolean;
}

const joinError = (errorCode: number, memberId = ''): JoinResult => ({ errorCode, generationId: -1, protocolName: null, leaderId: '', memberId, members: [] });

/**
 * The classic group coordinator: Empty -> PreparingRebalance -> CompletingRebalance -> Stable (and Dead on deletion),
 * with session expiry, rebalance timeouts, the initial rebalance delay and generation checks, as Kafka's
 * GroupCoordinator does. Offsets are kept per group in memory.
 */
export class GroupCoordinator {
  readonly groups = new Map<string, Group>();

  constructor(
    readonly timings: GroupTimings,
    private readonly logger: BrokerLogger,
  ) {}

  join(req: JoinRequest): Promise<JoinResult> | JoinResult {
    if (req.groupId === '') return joinError(ErrorCode.INVALID_GROUP_ID);
    if (req.sessionTimeoutMs < this.timings.minSessionTimeoutMs || req.sessionTimeoutMs > this.timings.maxSessionTimeoutMs) {
      return joinError(ErrorCode.INVALID_SESSION_TIMEOUT, req.memberId);
    }
    let group = this.groups.get(req.groupId);
    if (!group) {
      if (req.memberId !== '') return joinError(ErrorCode.UNKNOWN_MEMBER_ID, req.memberId);
      group = new Group(req.groupId);
      this.groups.set(req.groupId, group);
    }
    if (req.protocolType === '' || req.protocols.length === 0) return joinError(ErrorCode.INCONSISTENT_GROUP_PROTOCOL, req.memberId);
    const others = [...group.members.values()].filter((m) => m.memberId !== req.memberId);
    if (others.length > 0) {
      const othersGroup = new Group('');
      for (const m of others) othersGroup.members.set(m.memberId, m);
      if (group.protocolType !== req.protocolType || othersGroup.commonProtocols(req.protocols).length === 0) {
        return joinError(ErrorCode.INCONSISTENT_GROUP_PROTOCOL, req.memberId);
      }
    }

    if (req.memberId === '') {
      const memberId = `${req.clientId}-${randomUUID()}`;
      if (req.requireKnownMemberId) {
        group.pendingMembers.set(memberId, setTimeout(() => this.expirePending(group, memberId), req.sessionTimeoutMs));
        return joinError(ErrorCode.MEMBER_ID_REQUIRED, memberId);
      }
      return this.addMemberAndRebalance(group, { ...req, memberId });
    }
    const pending = group.pendingMembers.get(req.memberId);
    if (pending) {
      clearTimeout(pending);
      group.pendingMembers.delete(req.memberId);
      return this.addMemberAndRebalance(group, req);
    }
    const member = group.members.get(req.memberId);
    if (!member) return joinError(ErrorCode.UNKNOWN_MEMBER_ID, req.memberId);

    const unchanged = sameProtocols(member.protocols, req.protocols);
    if (group.state === 'CompletingRebalance' && unchanged) return this.currentJoinResult(group, member);
    if (group.state === 'Stable' && unchanged && group.leaderId !== member.memberId) return this.currentJoinResult(group, member);
    member.protocols = req.protocols;
    member.sessionTimeoutMs = req.sessionTimeoutMs;
    member.rebalanceTimeoutMs = req.rebalanceTimeoutMs;
    member.clientId = req.clientId;
    member.clientHost = req.clientHost;
    const result = new Promise<JoinResult>((resolve) => (member.awaitingJoin = resolve));
    if (group.state === 'PreparingRebalance') this.maybeCompleteJoin(group);
    else this.prepareRebalance(group, `member ${member.memberId} rejoined`);
    return result;
  }

  private addMemberAndRebalance(group: Group, req: JoinRequest): Promise<JoinResult> {
    const member: Member = {
      memberId: req.memberId,
      groupInstanceId: req.groupInstanceId,
      clientId: req.clientId,
      clientHost: req.clientHost,
      sessionTimeoutMs: req.sessionTimeoutMs,
      rebalanceTimeoutMs: req.rebalanceTimeoutMs,
      protocols: req.protocols,
      assignment: Buffer.alloc(0),
      awaitingJoin: null,
      awaitingSync: null,
      sessionTimer: null,
    };
    if (group.members.size === 0) group.protocolType = req.protocolType;
    group.members.set(member.memberId, member);
    const result = new Promise<JoinResult>((resolve) => (member.awaitingJoin = resolve));
    if (group.state === 'PreparingRebalance') {
      if (Date.now() < group.joinNotBefore) this.extendInitialDelay(group);
      this.maybeCompleteJoin(group);
    } else {
      this.prepareRebalance(group, `member ${member.memberId} joined`);
    }
    return result;
  }

  private currentJoinResult(group: Group, member: Member): JoinResult {
    this.scheduleSessionExpiry(group, member);
    const isLeader = group.leaderId === member.memberId;
    return {
      errorCode: 0,
      generationId: group.generationId,
      protocolName: group.protocolName,
      leaderId: group.leaderId ?? '',
      memberId: member.memberId,
      members: isLeader ? [...group.members.values()].map((m) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId, metadata: group.metadataFor(m) })) : [],
    };
  }

  private prepareRebalance(group: Group, reason: string): void {
    if (group.state === 'CompletingRebalance') {
      for (const m of group.members.values()) this.resolveSync(m, { errorCode: ErrorCode.REBALANCE_IN_PROGRESS, assignment: Buffer.alloc(0) });
    }
    const wasEmpty = group.state === 'Empty';
    group.state = 'PreparingRebalance';
    group.joinStartedAt = Date.now();
    this.logger.debug('preparing rebalance', { group: group.groupId, generation: group.generationId, reason });
    clearTimeout(group.joinDeadlineTimer ?? undefined);
    group.joinDeadlineTimer = setTimeout(() => this.onJoinDeadline(group), group.maxRebalanceTimeoutMs());
    group.joinNotBefore = 0;
    if (wasEmpty && this.timings.initialRebalanceDelayMs > 0) {
      group.joinNotBefore = Date.now() + this.timings.initialRebalanceDelayMs;
      this.armDelayTimer(group);
    }
    this.maybeCompleteJoin(group);
  }

  /** New members joining during the initial delay push it back, up to the rebalance timeout (Kafka's InitialDelayedJoin). */
  private extendInitialDelay(group: Group): void {
    const limit = group.joinStartedAt + group.maxRebalanceTimeoutMs();
    group.joinNotBefore = Math.min(Date.now() + this.timings.initialRebalanceDelayMs, limit);
    this.armDelayTimer(group);
  }

  private armDelayTimer(group: Group): void {
    clearTimeout(group.joinDelayTimer ?? undefined);
    group.joinDelayTimer = setTimeout(() => this.maybeCompleteJoin(group), Math.max(0, group.joinNotBefore - Date.now()));
  }

  private maybeCompleteJoin(group: Group): void {
    if (group.state !== 'PreparingRebalance' || Date.now() < group.joinNotBefore || !group.allMembersJoined()) return;
    this.completeJoin(group);
  }

  private onJoinDeadline(group: Group): void {
    if (group.state !== 'PreparingRebalance') return;
    for (const m of [...group.members.values()]) {
      if (!m.awaitingJoin) this.removeMember(group, m, 'did not rejoin within the rebalance timeout', false);
    }
    for (const timer of group.pendingMembers.values()) clearTimeout(timer);
    group.pendingMembers.clear();
    this.completeJoin(group);
  }

  private completeJoin(group: Group): void {
    clearTimeout(group.joinDeadlineTimer ?? undefined);
    clearTimeout(group.joinDelayTimer ?? undefined);
    group.joinDeadlineTimer = group.joinDelayTimer = null;
    group.generationId++;
    if (group.members.size === 0) {
      group.state = 'Empty';
      group.protocolName = null;
      group.leaderId = null;
      this.logger.debug('group is empty', { group: group.groupId, generation: group.generationId });
      return;
    }
    group.protocolName = group.selectProtocol();
    if (group.leaderId === null || !group.members.has(group.leaderId)) group.leaderId = [...group.members.keys()][0] ?? null;
    group.state = 'CompletingRebalance';
    this.logger.debug('join complete', { group: group.groupId, generation: group.generationId, members: group.members.size });
    for (const m of group.members.values()) {
      const resolve = m.awaitingJoin;
      m.awaitingJoin = null;
      m.assignment = Buffer.alloc(0);
      resolve?.(this.currentJoinResult(group, m));
    }
  }

  sync(groupId: string, generationId: number, memberId: string, assignments: Array<{ memberId: string; assignment: Buffer }>): Promise<SyncResult> | SyncResult {
    const error = (errorCode: number): SyncResult => ({ errorCode, assignment: Buffer.alloc(0) });
    const group = this.groups.get(groupId);
    const member = group?.members.get(memberId);
    if (!group || !member || group.state === 'Empty' || group.state === 'Dead') return error(ErrorCode.UNKNOWN_MEMBER_ID);
    if (generationId !== group.generationId) return error(ErrorCode.ILLEGAL_GENERATION);
    if (group.state === 'PreparingRebalance') return error(ErrorCode.REBALANCE_IN_PROGRESS);
    this.scheduleSessionExpiry(group, member);
    if (group.state === 'Stable') return { errorCode: 0, assignment: member.assignment };
    const result = new Promise<SyncResult>((resolve) => (member.awaitingSync = resolve));
    if (memberId === group.leaderId) {
      const byMember = new Map(assignments.map((a) => [a.memberId, a.assignment]));
      for (const m of group.members.values()) m.assignment = byMember.get(m.memberId) ?? Buffer.alloc(0);
      group.state = 'Stable';
      for (const m of group.members.values()) this.resolveSync(m, { errorCode: 0, assignment: m.assignment });
    }
    return result;
  }

  private resolveSync(member: Member, result: SyncResult): void {
    const resolve = member.awaitingSync;
    member.awaitingSync = null;
    resolve?.(result);
  }

  heartbeat(groupId: string, generationId: number, memberId: string): number {
    const group = this.groups.get(groupId);
    const member = group?.members.get(memberId);
    if (!group || !member || group.state === 'Empty' || group.state === 'Dead') return ErrorCode.UNKNOWN_MEMBER_ID;
    if (generationId !== group.generationId) return ErrorCode.ILLEGAL_GENERATION;
    this.scheduleSessionExpiry(group, member);
    return group.state === 'PreparingRebalance' ? ErrorCode.REBALANCE_IN_PROGRESS : ErrorCode.NONE;
  }

  /** LeaveGroup: per member id, NONE or UNKNOWN_MEMBER_ID. */
  leave(groupId: string, memberIds: string[]): number[] {
    const group = this.groups.get(groupId);
    return memberIds.map((id) => {
      if (!group) return ErrorCode.UNKNOWN_MEMBER_ID;
      const pending = group.pendingMembers.get(id);
      if (pending) {
        clearTimeout(pending);
        group.pendingMembers.delete(id);
        this.maybeCompleteJoin(group);
        return ErrorCode.NONE;
      }
      const member = group.members.get(id);
      if (!member) return ErrorCode.UNKNOWN_MEMBER_ID;
      this.removeMember(group, member, 'left the group', true);
      return ErrorCode.NONE;
    });
  }

  private scheduleSessionExpiry(group: Group, member: Member): void {
    clearTimeout(member.sessionTimer ?? undefined);
    member.sessionTimer = setTimeout(() => {
      member.sessionTimer = null;
      if (group.members.get(member.memberId) !== member) return;
      if (member.awaitingJoin || member.awaitingSync) return this.scheduleSessionExpiry(group, member);
      this.removeMember(group, member, `session timeout (${member.sessionTimeoutMs} ms) expired`, true);
    }, member.sessionTimeoutMs);
  }

  private expirePending(group: Group, memberId: string): void {
    if (!group.pendingMembers.delete(memberId)) return;
    this.maybeCompleteJoin(group);
    if (group.state === 'Empty' && group.members.size === 0 && group.offsets.size === 0 && group.pendingMembers.size === 0) this.groups.delete(group.groupId);
  }

  private removeMember(group: Group, member: Member, reason: string, rebalance: boolean): void {
    clearTimeout(member.sessionTimer ?? undefined);
    group.members.delete(member.memberId);
    this.logger.debug('member removed', { group: group.groupId, member: member.memberId, reason });
    member.awaitingJoin?.(joinError(ErrorCode.UNKNOWN_MEMBER_ID, member.memberId));
    this.resolveSync(member, { errorCode: ErrorCode.UNKNOWN_MEMBER_ID, assignment: Buffer.alloc(0) });
    member.awaitingJoin = null;
    if (!rebalance) return;
    if (group.state === 'Stable' || group.state === 'CompletingRebalance') this.prepareRebalance(group, `member ${member.memberId} ${reason}`);
    else if (group.state === 'PreparingRebalance') this.maybeCompleteJoin(group);
  }

  /** Drops every timer (broker shutdown). */
  close(): void {
    for (const group of this.groups.values()) {
      clearTimeout(group.joinDeadlineTimer ?? undefined);
      clearTimeout(group.joinDelayTimer ?? undefined);
      for (const t of group.pendingMembers.values()) clearTimeout(t);
      for (const m of group.members.values()) clearTimeout(m.sessionTimer ?? undefined);
    }
  }
}
