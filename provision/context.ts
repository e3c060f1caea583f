import { loadSecrets, type Secrets } from './secrets.js';
import { currentVariant, type StartedCluster, type LabNode, type ResolvedTopology, type Variant } from '../harness/index.js';

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
  /** How the procedure makes room for DRBD's metadata (`--variant`). */
  variant: Variant;
  /** The metadata LV of the external-md variant: `/dev/VG/drbd-md`. */
  metaLv: string;
}

/** The external-md variant's LV: DRBD 8.4 indexed external metadata takes 128 MiB per index. */
export const EXTERNAL_MD = { lv: 'drbd-md', mib: 128 } as const;

export function procedure(cluster: StartedCluster, variant: Variant = currentVariant()): Procedure {
  const t = cluster.topology;
  return {
    cluster,
    t,
    secrets: loadSecrets(),
    primary: cluster.primary,
    secondary: cluster.secondary,
    lv: `/dev/${t.lvm.vg}/${t.lvm.lv}`,
    stateDir: '/root/ha-lab',
    variant,
    metaLv: `/dev/${t.lvm.vg}/${EXTERNAL_MD.lv}`,
  };
}

/** Where DRBD keeps the metadata, as drbdmeta takes it after the disk: `internal`, or the external LV and its index. */
export function metaDiskArgs(p: Procedure): string {
  return p.variant === 'external-md' ? `${p.metaLv} 0` : 'internal';
}
