import type { Cluster } from '../index/cluster';
import type { Faults } from '../faults';
import type { PitRegistry } from '../search/pit-registry';

export interface ServerContext {
  cluster: Cluster;
  faults: Faults;
  /** Open points in time. */
  pits: PitRegistry;
  clusterName: string;
  clusterUuid: string;
  nodeName: string;
}
