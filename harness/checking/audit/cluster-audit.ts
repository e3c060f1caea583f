import mysql from 'mysql2/promise';
import { execa } from 'execa';
import { readMysqlFacts, readNodeConfig, type MysqlFacts, type NodeConfig } from '../../cluster/audit/deployed-config.js';
import { drbdMinor } from '../../cluster/drbd/drbd.js';
import { describeHoldings, holdsAll, holdsNone, RESOURCES, type Holdings } from '../../cluster/heartbeat/holdings.js';
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

/** V1 and V4 from what each node holds now: one node holds the whole group on the DRBD datadir, the other nothing; DRBD Connected and UpToDate on both. */
export function steadyStateChecks(t: ResolvedTopology, holdings: Record<string, Holdings | 'unknown'>): CheckResult[] {
  const entries = Object.entries(holdings);
  const unseen = entries.filter(([, h]) => h === 'unknown').map(([n]) => n);
  const holders = entries.filter(([, h]) => h !== 'unknown' && holdsAll(h, t.mysql.datadir)).map(([n]) => n);
  const strays = entries.filter(([n, h]) => h !== 'unknown' && !holders.includes(n) && !holdsNone(h)).map(([n, h]) => `${n} holds ${describeHoldings(h)}`);
  const described = entries.map(([n, h]) => `${n}: ${describeHoldings(h)}`).join('; ');
  const serving: CheckResult = unseen.length
    ? { checker: 'availability: V1, one node serves', valid: 'unknown', findings: [{ id: 'V1-UNSEEN', message: `could not read what ${unseen.join(', ')} holds` }], evidence: holdings }
    : holders.length === 1 && !strays.length
      ? { checker: 'availability: V1, one node serves', valid: true, findings: [], evidence: holdings }
      : { checker: 'availability: V1, one node serves', valid: false, findings: [{ id: 'V1-NOT-SERVING', message: `${holders.length === 1 ? `${holders[0]} serves, but ${strays.join(', ')}` : `${holders.length} nodes hold the whole group`}: ${described}` }], evidence: holdings };
  const words = entries.map(([n, h]) => [n, h === 'unknown' ? undefined : h.drbd] as const);
  const outOfSync = words.filter(([, w]) => !/cs:Connected .*ds:UpToDate\/UpToDate/.test(w ?? ''));
  const inSync: CheckResult = words.some(([, w]) => w === undefined)
    ? { checker: 'DRBD in sync (V4)', valid: 'unknown', findings: [{ id: 'V4-UNSEEN', message: `could not read DRBD's state on ${words.filter(([, w]) => w === undefined).map(([n]) => n).join(', ')}` }], evidence: Object.fromEntries(words) }
    : { checker: 'DRBD in sync (V4)', valid: !outOfSync.length, findings: outOfSync.map(([n, w]) => ({ id: 'V4-NOT-IN-SYNC', message: `${n}: ${w}` })), evidence: Object.fromEntries(words) };
  return [serving, inSync];
}

/** The host interface whose IPv4 network holds `address` (`ip -o -4 addr show`), for the witness. */
export function interfaceOnNetworkOf(ipAddrShow: string, address: string): string | undefined {
  const toNumber = (a: string) => a.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
  for (const line of ipAddrShow.split('\n')) {
    const m = /^\d+:\s+(\S+)\s+inet\s+(\d+\.\d+\.\d+\.\d+)\/(\d+)/.exec(line);
    if (!m) continue;
    const bits = Number(m[3]);
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    if (((toNumber(m[2]) & mask) >>> 0) === ((toNumber(address) & mask) >>> 0) && m[2] !== address) return m[1];
  }
  return undefined;
}

/**
 * Reads, checks and watches a running cluster through connections that can only read (the
 * nodes' allowlist policy): the configuration in force against the requirements (V0), the
 * steady state (V1, V4), then `watchSeconds` of observation from inside (the nodes' samplers)
 * and outside (the witness), judged by the exclusive and group-order checkers.
 */
export async function auditCluster(t: ResolvedTopology, nodes: readonly LabNode[], options: ClusterAuditOptions): Promise<ClusterAudit> {
  const holdings: Record<string, Holdings | 'unknown'> = {};
  for (const node of nodes) holdings[node.name] = await readHoldings(node, t).catch(() => 'unknown' as const);
  const steadyState = steadyStateChecks(t, holdings);
  const holder = nodes.find((n) => holdings[n.name] !== 'unknown' && holdsAll(holdings[n.name] as Holdings, t.mysql.datadir))?.name;
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
