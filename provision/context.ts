import { loadSecrets, type Secrets } from './secrets.js';
import { loadOperatorConfig, loadTopology, type StartedCluster, type LabNode, type ResolvedTopology, type Variant } from '../harness/index.js';
import { operatorFiles, renderedFiles, type ClusterFiles } from './config/cluster-files.js';

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
  /** What P7 and H1-H3 write: rendered, or the operator's own (`--config`). */
  files: ClusterFiles;
}

/** The external-md variant's LV: DRBD 8.4 indexed external metadata takes 128 MiB per index. */
export const EXTERNAL_MD = { lv: 'drbd-md', mib: 128 } as const;

/** The procedure on the running cluster, in the variant its run context names. */
export function procedure(cluster: StartedCluster): Procedure {
  // The operator's files are read again from their directory and checked against the guide's topology, as the CLI did before the VMs started.
  const files = cluster.run.config ? operatorFiles(loadOperatorConfig(cluster.run.config, loadTopology())) : renderedFiles(cluster.topology);
  return procedureFor({ cluster, t: cluster.topology, secrets: loadSecrets(), primary: cluster.primary, secondary: cluster.secondary, variant: cluster.run.variant, files });
}

/** The procedure on given nodes (the cluster's, or scripted ones in unit tests): paths follow from the topology. */
export function procedureFor(parts: Pick<Procedure, 'cluster' | 't' | 'secrets' | 'primary' | 'secondary' | 'variant'> & { files?: ClusterFiles }): Procedure {
  const { vg, lv } = parts.t.lvm;
  return { ...parts, files: parts.files ?? renderedFiles(parts.t), lv: `/dev/${vg}/${lv}`, stateDir: '/root/ha-lab', metaLv: `/dev/${vg}/${EXTERNAL_MD.lv}` };
}

/** Where DRBD keeps the metadata, as drbdmeta takes it after the disk: `internal`, or the external LV and its index. */
export function metaDiskArgs(p: Procedure): string {
  return p.variant === 'external-md' ? `${p.metaLv} 0` : 'internal';
}
