import mysql from 'mysql2/promise';
import { execa } from 'execa';
import { readMysqlFacts, readNodeConfig, type MysqlFacts, type NodeConfig } from '../../cluster/audit/deployed-config.js';
import { drbdMinor } from '../../cluster/drbd/drbd.js';
import { describeHoldings, RESOURCES, type Holdings } from '../../cluster/heartbeat/holdings.js';
import { readHoldings } from '../../cluster/heartbeat/read-holdings.js';
import type { LabNode } from '../../cluster/node/node.js';
import { QUERY_TIMEOUT_MS } from '../../cluster/mysql/vip.js';
import type { ResolvedTopology } from '../../config/topology.js';
import { log } from '../../support/log.js';
import { sleep } from '../../support/time.js';
import { checker, compose, type CheckResult } from '../checkers/checker.js';
import { exclusiveChecker, witnessChecker } from '../checkers/exclusive-checker.js';
import { groupOrderChecker } from '../checkers/service-checker.js';
import { NodeObserver } from '../clients/node-observer.js';
import { VipWitness } from '../clients/vip-witness.js';
import { History } from '../history/history.js';
import { audit, type AuditRow } from './requirements.js';
import { groupHolders, interfaceOnNetworkOf, steadyStateChecks } from './steady-state.js';

/** What the read-only audit found: V0's rows, the steady state (V1, V4), and the watch's history and verdict. */
export interface ClusterAudit {
  rows: AuditRow[];
  nodes: NodeConfig[];
  mysql?: MysqlFacts;
  holdings: Record<string, Holdings | 'unknown'>;
  /** The node that holds the group (V1), when exactly one does. */
  holder?: string;
  steadyState: CheckResult[];
  history: History;
  watch: CheckResult;
}

export interface ClusterAuditOptions {
  watchSeconds: number;
  credentials: { user: string; password: string };
  /** The host interface the outside witness listens on; found by the VIP's network when absent. */
  witnessInterface?: string;
}

/**
 * Reads, checks and watches a running cluster through connections that can only read (the
 * nodes' allowlist policy): the configuration in force against the requirements (V0), the
 * steady state (V1, V4), then `watchSeconds` of observation from inside (the nodes' samplers)
 * and outside (the witness), judged by the exclusive and group-order checkers.
 */
export async function auditCluster(t: ResolvedTopology, nodes: readonly LabNode[], options: ClusterAuditOptions): Promise<ClusterAudit> {
  // Both nodes read at once: one sampler round each, as close to the same moment as SSH allows.
  const holdings: Record<string, Holdings | 'unknown'> = Object.fromEntries(await Promise.all(nodes.map(async (node) => [node.name, await readHoldings(node, t).catch(() => 'unknown' as const)] as const)));
  const steadyState = steadyStateChecks(t, holdings);
  const holder = groupHolders(t, holdings)[0];
  log('audit', `holdings: ${nodes.map((n) => `${n.name} ${describeHoldings(holdings[n.name])}`).join('; ')}`);

  const configs = await Promise.all(nodes.map((node) => readNodeConfig(node, t)));
  const pool = mysql.createPool({ host: t.network.vip, user: options.credentials.user, password: options.credentials.password, database: t.mysql.database, connectTimeout: QUERY_TIMEOUT_MS, connectionLimit: 1 });
  const facts = await readMysqlFacts(pool, t.mysql.database).catch((error: Error) => {
    log('audit', `MariaDB through ${t.network.vip} could not be read (its rows are UNKNOWN): ${error.message.split('\n')[0]}`);
    return undefined;
  }).finally(() => pool.end());
  const rows = audit({
    nodes: configs, mysql: facts, holder: holder ?? t.primary.name, labInterface: t.network.interface, drbdMinor: drbdMinor(t),
    addresses: Object.fromEntries(t.nodes.map((n) => [n.name, n.address])),
  });

  const history = new History();
  const observers = nodes.map((node) => new NodeObserver(history, node.access, t, { intervalMs: 100, staleMs: 2000, maxSeconds: options.watchSeconds + 120 }));
  log('audit', `watching the cluster for ${options.watchSeconds} s: each node's sampler, and the witness outside`);
  await Promise.all(observers.map((o) => o.start()));
  let witness: VipWitness | undefined;
  try {
    const { stdout } = await execa('ip', ['-o', '-4', 'addr', 'show']);
    const interfaceName = options.witnessInterface ?? interfaceOnNetworkOf(stdout, t.network.vip);
    if (!interfaceName) throw new Error(`no interface of this host is on ${t.network.vip}'s network; name one in the inventory's witness.interface`);
    const witnessed = await Promise.all(nodes.map(async (n) => ({ name: n.name, address: n.address, mac: await n.labMac() })));
    witness = new VipWitness(history, { interfaceName, vip: t.network.vip, nodes: witnessed, credentials: options.credentials, database: t.mysql.database, intervalMs: 200, maxSeconds: options.watchSeconds + 60 });
    witness.start();
  } catch (error) {
    history.append({ kind: 'note', text: `host witness could not start: ${(error as Error).message.split('\n')[0]}` });
    log('audit', `the witness could not start (exclusive vip is then UNKNOWN): ${(error as Error).message.split('\n')[0]}`);
  }
  await sleep(options.watchSeconds * 1000);
  await witness?.stop();
  await Promise.all(observers.map((o) => o.stop()));
  const watch = compose('the cluster as it runs', [...RESOURCES.map(exclusiveChecker), groupOrderChecker(), witnessChecker(), observedChecker(nodes.map((n) => n.name))]).check(history);
  return { rows, nodes: configs, ...(facts && { mysql: facts }), holdings, ...(holder && { holder }), steadyState, history, watch };
}

/** Every node was seen by its sampler during the watch: a node never seen leaves its holdings unknown. */
function observedChecker(names: readonly string[]) {
  return checker('exclusive ownership: every node observed', (history) => {
    const seen = new Set(history.events().flatMap((e) => (e.kind === 'observe' && e.state !== 'unknown' ? [e.node] : [])));
    const unseen = names.filter((n) => !seen.has(n));
    return unseen.length
      ? { valid: 'unknown', findings: [{ id: 'NODE-UNSEEN', message: `${unseen.join(', ')} was never observed during the watch` }], evidence: { seen: [...seen] } }
      : { valid: true, findings: [], evidence: { seen: [...seen] } };
  });
}
