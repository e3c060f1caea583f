import type { StartedCluster } from '../harness/cluster/cluster.js';
import type { LabNode } from '../harness/node/node.js';
import type { ResolvedTopology } from '../harness/topology/topology.js';
import { loadSecrets, type Secrets } from './secrets.js';

/** What every phase of the procedure works with. */
export interface Procedure {
  cluster: StartedCluster;
  t: ResolvedTopology;
  secrets: Secrets;
  primary: LabNode;
  secondary: LabNode;
  /** `/dev/VG/data` */
  lv: string;
  /** Where the harness keeps its own files on the nodes (backups, evidence). */
  stateDir: string;
}

export function procedure(cluster: StartedCluster): Procedure {
  const t = cluster.topology;
  return {
    cluster,
    t,
    secrets: loadSecrets(),
    primary: cluster.primary,
    secondary: cluster.secondary,
    lv: `/dev/${t.lvm.vg}/${t.lvm.lv}`,
    stateDir: '/root/ha-lab',
  };
}
