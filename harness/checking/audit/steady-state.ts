import { describeHoldings, holdsAll, holdsNone, type Holdings } from '../../cluster/heartbeat/holdings.js';
import type { ResolvedTopology } from '../../config/topology.js';
import type { CheckResult } from '../checkers/checker.js';

/** The nodes that hold the whole group on the DRBD datadir (V1 wants exactly one). */
export function groupHolders(t: ResolvedTopology, holdings: Readonly<Record<string, Holdings | 'unknown'>>): string[] {
  return Object.entries(holdings).filter(([, h]) => h !== 'unknown' && holdsAll(h, t.mysql.datadir)).map(([n]) => n);
}

/** V1 and V4 from what each node holds now: one node holds the whole group on the DRBD datadir, the other nothing; DRBD Connected and UpToDate on both. */
export function steadyStateChecks(t: ResolvedTopology, holdings: Record<string, Holdings | 'unknown'>): CheckResult[] {
  const entries = Object.entries(holdings);
  const unseen = entries.filter(([, h]) => h === 'unknown').map(([n]) => n);
  const holders = groupHolders(t, holdings);
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
