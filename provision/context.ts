import { loadSecrets, type Secrets } from './secrets.js';
import type { StartedCluster, LabNode, ResolvedTopology } from '../harness/index.js';

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
