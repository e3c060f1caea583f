import { loadSecrets, type Secrets } from './secrets.js';
import type { StartedCluster, LabNode, ResolvedTopology, Variant } from '../harness/index.js';

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

/** The procedure on the running cluster, in the variant its run context names. */
export function procedure(cluster: StartedCluster): Procedure {
  return procedureFor({ cluster, t: cluster.topology, secrets: loadSecrets(), primary: cluster.primary, secondary: cluster.secondary, variant: cluster.run.variant });
}

/** The procedure on given nodes (the cluster's, or scripted ones in unit tests): paths follow from the topology. */
export function procedureFor(parts: Pick<Procedure, 'cluster' | 't' | 'secrets' | 'primary' | 'secondary' | 'variant'>): Procedure {
  const { vg, lv } = parts.t.lvm;
  return { ...parts, lv: `/dev/${vg}/${lv}`, stateDir: '/root/ha-lab', metaLv: `/dev/${vg}/${EXTERNAL_MD.lv}` };
}

/** Where DRBD keeps the metadata, as drbdmeta takes it after the disk: `internal`, or the external LV and its index. */
export function metaDiskArgs(p: Procedure): string {
  return p.variant === 'external-md' ? `${p.metaLv} 0` : 'internal';
}
