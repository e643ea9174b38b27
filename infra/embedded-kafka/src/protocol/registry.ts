import type { AnyApi } from './api';
import { apiVersionsApi } from './api-versions';
import { createPartitionsApi } from './create-partitions';
import { createTopicsApi } from './create-topics';
import { deleteGroupsApi } from './delete-groups';
import { deleteTopicsApi } from './delete-topics';
import { describeConfigsApi } from './describe-configs';
import { describeGroupsApi } from './describe-groups';
import { fetchApi } from './fetch';
import { findCoordinatorApi } from './find-coordinator';
import { heartbeatApi } from './heartbeat';
import { initProducerIdApi } from './init-producer-id';
import { joinGroupApi } from './join-group';
import { leaveGroupApi } from './leave-group';
import { listGroupsApi } from './list-groups';
import { listOffsetsApi } from './list-offsets';
import { metadataApi } from './metadata';
import { offsetCommitApi } from './offset-commit';
import { offsetFetchApi } from './offset-fetch';
import { produceApi } from './produce';
import { syncGroupApi } from './sync-group';

/** Every API this broker implements, by key. ApiVersions advertises exactly these ranges. */
export const APIS: ReadonlyMap<number, AnyApi> = new Map(
  [
    produceApi,
    fetchApi,
    listOffsetsApi,
    metadataApi,
    offsetCommitApi,
    offsetFetchApi,
    findCoordinatorApi,
    joinGroupApi,
    heartbeatApi,
    leaveGroupApi,
    syncGroupApi,
    describeGroupsApi,
    listGroupsApi,
    apiVersionsApi,
    createTopicsApi,
    deleteTopicsApi,
    initProducerIdApi,
    describeConfigsApi,
    createPartitionsApi,
    deleteGroupsApi,
  ].map((api) => [api.key, api as AnyApi]),
);

export const supportedApiRanges = (): Array<{ key: number; min: number; max: number }> =>
  [...APIS.values()].sort((a, b) => a.key - b.key).map((a) => ({ key: a.key, min: a.minVersion, max: a.maxVersion }));

export const apiName = (key: number): string => APIS.get(key)?.name ?? `api-${key}`;
