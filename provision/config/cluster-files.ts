import type { NodeSpec, OperatorConfig, ResolvedTopology } from '../../harness/index.js';
import { guideLayout, renderDrbdConf, type DrbdResourceLayout } from './drbd-conf.js';
import { renderAuthkeys, renderHaCf, renderHaresources } from './heartbeat.js';

/**
 * The files the procedure deploys (P7, H1-H3, the MariaDB fragment): rendered from the topology
 * and profile, or the operator's own (`--config`), mapped to the lab's names. The steps are the
 * same either way; only what they write differs.
 */
export interface ClusterFiles {
  /** Where the files come from, for the steps' titles. */
  source: string;
  drbdConf(layout?: DrbdResourceLayout): string;
  haCf(node: NodeSpec): string;
  authkeys(secret: string): string;
  /** The method authkeys names (`sha1`), for the step's title. */
  authMethod: string;
  haresources(): string;
  /** The operator's MariaDB settings, installed after the lab's own so that theirs win. */
  mariadbFragment?: string;
}

export function renderedFiles(t: ResolvedTopology): ClusterFiles {
  return {
    source: 'rendered by ha-lab',
    drbdConf: (layout = guideLayout(t)) => renderDrbdConf(t, layout),
    haCf: (node) => renderHaCf(t, node),
    authkeys: (secret) => renderAuthkeys(t.heartbeat.auth, secret),
    authMethod: t.heartbeat.auth,
    haresources: () => renderHaresources(t),
  };
}

/** The operator's files as deployed: the same ha.cf on both nodes (heartbeat ignores a ucast to the node's own address), the lab's secret with their method. */
export function operatorFiles(config: OperatorConfig): ClusterFiles {
  const header = (comment: string) => `${comment} ha-lab: the operator's file from ${config.name}/ (${config.digest}), mapped to the lab's names.\n`;
  return {
    source: `the operator's, from ${config.name}/`,
    drbdConf: () => `${header('#')}${config.drbdConf}`,
    haCf: () => `${header('#')}${config.haCf}`,
    authkeys: (secret) => renderAuthkeys(config.authkeysMethod, secret),
    authMethod: config.authkeysMethod,
    haresources: () => config.haresources.split('\n').filter((l) => l.trim() && !l.trim().startsWith('#')).join('\n').concat('\n'),
    ...(config.mariadbCnf !== undefined && { mariadbFragment: `${header('#')}${config.mariadbCnf}` }),
  };
}
