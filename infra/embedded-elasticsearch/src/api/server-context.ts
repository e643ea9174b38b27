import type { Cluster } from '../index/cluster';
import type { Faults } from '../faults';

export interface ServerContext {
  cluster: Cluster;
  faults: Faults;
  clusterName: string;
  clusterUuid: string;
  nodeName: string;
}
