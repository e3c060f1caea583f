import type { MysqlFacts, NodeConfig } from '../../cluster/audit/deployed-config.js';
import type { Variant } from '../../config/variant.js';
import type { Hardening } from '../../config/profile.js';
import { drbdValue, parseDrbdShow, parseHaCf, procDrbdProtocol, rateKiB } from './parse-config.js';

/** What the audit reads, and the few facts it takes from the topology: names, addresses, the lab NIC. */
export interface AuditInput {
  /** In topology order; the first is the node heartbeat prefers. */
  nodes: NodeConfig[];
  addresses: Record<string, string>;
  labInterface: string;
  drbdMinor: number;
  /** The node that should hold the group now (V1). */
  holder: string;
  /** Read through the VIP; absent when it did not answer (those rows are then UNKNOWN). */
  mysql?: MysqlFacts;
  /** The procedure's variant (`--variant`); the guide's final procedure when absent. */
  variant?: Variant;
  /** A hardened profile's additions (topology.<profile>.json); absent in the guide's profile. */
  hardening?: Hardening;
}

type Value = string | ((node: NodeConfig, input: AuditInput) => string);

/**
 * One row of the requirements table. `expected` is the guide's value written here, literally,
 * as a second opinion independent of the renderers and of topology.json; only names and
 * addresses are computed (from the topology), and then checked against what each node uses.
 */
export interface Requirement {
  id: string;
  /** The guide's step id (README, "The procedure under test"), or the manual's section. */
  source: string;
  what: string;
  expected: Value;
  /** Where this profile (or variant) deliberately differs from the guide: the value it uses instead (none: the guide's), and why. */
  profile?: { value: Value | ((node: NodeConfig, input: AuditInput) => string | undefined); why: string | ((input: AuditInput) => string) };
  /** `node`: every node; `holder`: the node holding the group; `cluster`: once, across nodes; `mysql`: once, through the VIP. */
  scope: 'node' | 'holder' | 'cluster' | 'mysql';
  /** What is in force; undefined when it could not be read (UNKNOWN). */
  read(node: NodeConfig, input: AuditInput): string | undefined;
  /** Default: the found value equals the expected one (or the profile's). */
  accepts?(found: string, expected: string): boolean;
}

export interface AuditRow {
  id: string;
  source: string;
  what: string;
  node: string;
  expected: string;
  /** This profile's deliberate deviation from the guide, checked instead of `expected`. */
  profile?: { value: string; why: string };
  found: string;
  ok: boolean | 'unknown';
}

/** Each node's texts parsed once, however many rows read them. */
function parsedOnce<T>(parse: (n: NodeConfig) => T): (n: NodeConfig) => T {
  const cache = new WeakMap<NodeConfig, T>();
  return (n) => {
    if (!cache.has(n)) cache.set(n, parse(n));
    return cache.get(n)!;
  };
}
const drbdOf = parsedOnce((n) => parseDrbdShow(n.drbdShow));
const haCfOf = parsedOnce((n) => parseHaCf(n.haCf));
const drbd = (key: string, under = '') => (n: NodeConfig) => drbdValue(drbdOf(n), key, under);
/** An ha.cf directive's values; `none` in a file that was read and lacks it (a missing ping node is a deviation, not unreadable). */
const haCf = (directive: string) => (n: NodeConfig) => (n.haCf ? (haCfOf(n).get(directive)?.join(' ') ?? 'none') : undefined);
const peerOf = (n: NodeConfig, input: AuditInput) => input.nodes.find((o) => o.node !== n.node)!.node;
const mysqlVar = (name: string) => (_: NodeConfig, input: AuditInput) => input.mysql?.variables[name];
/** One of several lines of an ha.cf directive (respawn, apiauth): the one naming `program`, or `none`. */
const haCfLine = (directive: string, program: RegExp) => (n: NodeConfig) => {
  const lines = haCfOf(n).get(directive);
  return lines === undefined ? 'none' : (lines.find((l) => program.test(l)) ?? 'none');
};
/**
 * A hardened profile's value (and the guide's own, undefined, otherwise). Written here literally,
 * as the guide's are, not taken from topology.hardened.json: V0 checks that the file is right, not
 * only that it was deployed. Only addresses come from the profile, as the guide's come from the topology.
 */
const hardened = (value: (h: Hardening, n: NodeConfig, i: AuditInput) => string) => (n: NodeConfig, i: AuditInput) => (i.hardening ? value(i.hardening, n, i) : undefined);
/** A number of an ha.cf directive (`deadtime 15`), or undefined. */
const haCfNumber = (n: NodeConfig, directive: string) => { const v = Number(haCf(directive)(n)); return Number.isFinite(v) && haCf(directive)(n) !== undefined ? v : undefined; };
/** DRBD's ping-int (seconds) and ping-timeout (tenths of a second) as it runs them. */
const drbdNumber = (n: NodeConfig, key: string) => { const v = Number(drbd(key)(n)); return drbd(key)(n) !== undefined && Number.isFinite(v) ? v : undefined; };
/** A relation across settings: `yes`/`no`, or undefined when a part could not be read. */
const relation = (parts: (number | undefined)[], holds: (...values: number[]) => boolean) => (parts.includes(undefined) ? undefined : holds(...(parts as number[])) ? 'yes' : 'no');
/** A DRBD handler's command as `drbdadm dump` prints it: quoted only when it has spaces; 'none' when unset. */
const handler = (name: string) => (n: NodeConfig): string | undefined => {
  if (n.drbdHandlers === undefined) return undefined;
  const found = new RegExp(`^\\s*${name}\\s+(?:"([^"]*)"|([^\\s;]+))`, 'm').exec(n.drbdHandlers);
  return found ? found[1] ?? found[2] : 'none';
};
/** heartbeat's runtime view (cl_status lines): the values of `kind` lines, by their name. */
const runtimeOf = parsedOnce((n: NodeConfig) => {
  const lines = (n.heartbeatRuntime ?? '').split('\n').map((l) => l.trim().split(/\s+/));
  const of = (kind: string) => Object.fromEntries(lines.filter((l) => l[0] === kind && l.length >= 2).map((l) => [l[1], l.slice(2).join(' ') || 'none']));
  return { read: n.heartbeatRuntime !== undefined, hbstatus: lines.find((l) => l[0] === 'hbstatus')?.[1], nodes: of('node'), links: of('link'), rsc: lines.find((l) => l[0] === 'rsc')?.[1] || 'none' };
});
const runtime = <T>(read: (r: ReturnType<typeof runtimeOf>, n: NodeConfig, i: AuditInput) => T) => (n: NodeConfig, i: AuditInput) => (runtimeOf(n).read ? read(runtimeOf(n), n, i) : undefined);
/** /proc/drbd's connection and disks for the resource: `Connected UpToDate/UpToDate`. */
const drbdRuntime = (n: NodeConfig, i: AuditInput) => {
  const line = new RegExp(`^\\s*${i.drbdMinor}: cs:(\\S+) ro:\\S+ ds:(\\S+)`, 'm').exec(n.procDrbd);
  return line ? `${line[1]} ${line[2]}` : 'not configured';
};
/** MariaDB's accounts from their tab-separated lines (deployed-config's MYSQL_ACCOUNTS_SQL). */
const accountsOf = parsedOnce((n: NodeConfig) => {
  const rows = (n.mysqlAccounts ?? '').split('\n').filter(Boolean).map((l) => l.split('\t'));
  const users = rows.filter((r) => r[0] === 'user').map((r) => ({ user: r[1] ?? '', host: r[2] ?? '' }));
  const dbs = rows.filter((r) => r[0] === 'db').map((r) => ({ user: r[1], host: r[2], db: r[3] }));
  const globals = rows.filter((r) => r[0] === 'global').map((r) => ({ grantee: r[1], privilege: r[2] }));
  return { users, dbs, globals };
});
const accounts = <T>(read: (a: ReturnType<typeof accountsOf>, n: NodeConfig, i: AuditInput) => T) => (n: NodeConfig, i: AuditInput) => (n.mysqlAccounts === undefined ? undefined : read(accountsOf(n), n, i));
const LOCAL_HOSTS = ['localhost', '127.0.0.1', '::1'];
/** The lab network as a MariaDB host pattern, from the nodes' addresses (a /24: `192.168.211.%`). */
const labHosts = (i: AuditInput) => `${Object.values(i.addresses)[0].split('.').slice(0, 3).join('.')}.%`;
const fileMode = (file: string) => (n: NodeConfig) => n.secretFiles?.[file];
const HARDENED = 'the hardened profile (topology.hardened.json; DRBD 8.4 user guide §8.3 "Resource-level fencing using the DRBD outdate-peer daemon", heartbeat ha.cf)';

export const REQUIREMENTS: Requirement[] = [
  // DRBD, P7 (the guide's drbd.conf) as the kernel runs it.
  { id: 'DRBD-PROTOCOL', source: 'P7; DRBD 8.4 user guide §2.3 "Replication modes"', what: 'replication protocol (runtime configuration)', expected: 'C', scope: 'node', read: drbd('protocol') },
  { id: 'DRBD-PROTOCOL-LIVE', source: 'P7; DRBD 8.4 user guide §5.2 "/proc/drbd"', what: 'protocol letter in /proc/drbd', expected: 'C', scope: 'node', read: (n, i) => procDrbdProtocol(n.procDrbd, i.drbdMinor) },
  { id: 'DRBD-AFTER-SB-0PRI', source: 'P7', what: 'net after-sb-0pri', expected: 'disconnect', scope: 'node', read: drbd('after-sb-0pri') },
  { id: 'DRBD-AFTER-SB-1PRI', source: 'P7', what: 'net after-sb-1pri', expected: 'disconnect', scope: 'node', read: drbd('after-sb-1pri') },
  { id: 'DRBD-AFTER-SB-2PRI', source: 'P7', what: 'net after-sb-2pri', expected: 'disconnect', scope: 'node', read: drbd('after-sb-2pri') },
  { id: 'DRBD-RR-CONFLICT', source: 'P7', what: 'net rr-conflict', expected: 'disconnect', scope: 'node', read: drbd('rr-conflict') },
  { id: 'DRBD-ON-IO-ERROR', source: 'P7; DRBD 8.4 user guide §2.11 "Disk error handling"', what: 'disk on-io-error', expected: 'detach', scope: 'node', read: drbd('on-io-error') },
  { id: 'DRBD-AL-EXTENTS', source: 'P7', what: 'disk al-extents', expected: '257', scope: 'node', read: drbd('al-extents') },
  {
    id: 'DRBD-RESYNC-RATE', source: 'P7 (syncer rate 10M)', what: 'disk resync-rate, KiB/s', expected: '10240', scope: 'node',
    read: (n) => { const kib = rateKiB(drbd('resync-rate')(n)); return kib === undefined ? undefined : String(kib); },
  },
  {
    id: 'DRBD-META-DISK', source: 'P7; P5 (internal metadata at the end of the grown LV)', what: 'meta-disk', expected: 'internal', scope: 'node', read: drbd('meta-disk'),
    profile: {
      value: (_, i) => (i.variant === 'external-md' ? '/dev/VG/drbd-md [ 0 ]' : undefined),
      why: 'the external-md variant (precondition 3 of the guide, docs/procedure.md) keeps the metadata on its own LV, index 0',
    },
  },
  {
    id: 'DRBD-DISK-FLUSHES', source: 'DRBD 8.4 user guide §2.10 "Disk flush support" (off only with a battery-backed cache)', what: 'disk disk-flushes, md-flushes',
    expected: 'yes yes', scope: 'node', read: (n) => { const both = [drbd('disk-flushes')(n), drbd('md-flushes')(n)]; return both.includes(undefined) ? undefined : both.join(' '); },
  },
  {
    id: 'DRBD-FENCING', source: 'P7 (fencing unset: the fence-peer handler never runs; docs/fault-facts.md)', what: 'disk fencing policy', expected: 'dont-care', scope: 'node',
    profile: { value: hardened(() => 'resource-and-stonith'), why: `${HARDENED}: the Primary that loses its peer has dopd outdate it (resource-and-stonith: with its I/O frozen until then)` },
    read: drbd('fencing'),
  },
  {
    id: 'DRBD-FENCE-PEER-HANDLER', source: 'P7 (`fence-peer "/usr/lib/heartbeat/drbd-peer-outdater -t 5"`)', what: 'handlers fence-peer', expected: '/usr/libexec/heartbeat/drbd-peer-outdater -t 5', scope: 'node',
    profile: { value: hardened(() => '/usr/local/sbin/halab-fence-peer'), why: `${HARDENED}: the outdater's "outdated" believed only when it repeats once the peer's DRBD has noticed the loss, and its "unreachable" (assumed dead, I/O resumed alone) only for a peer heartbeat declared dead (HD4)` },
    read: handler('fence-peer'),
  },
  {
    id: 'DRBD-SPLIT-BRAIN-HANDLER', source: 'P7 (no split-brain handler); DRBD 8.4 user guide §6.20 "Split brain notification"', what: 'handlers split-brain', expected: 'none', scope: 'node',
    profile: { value: hardened(() => '/usr/lib/drbd/notify-split-brain.sh root'), why: `${HARDENED}: a split brain is told to someone, not only logged` },
    read: handler('split-brain'),
  },
  {
    id: 'DRBD-ADDRESS', source: 'P7 (port 7788); environment table', what: 'this node\'s replication address', expected: (n, i) => `ipv4 ${i.addresses[n.node]}:7788`, scope: 'node', read: drbd('address', '_this_host'),
    profile: { value: hardened((h, n) => `ipv4 ${h.replicationLink.addresses[n.node]}:7788`), why: `${HARDENED}: replication on the dedicated link` },
  },
  {
    id: 'DRBD-PEER', source: 'P7 (port 7788); environment table', what: 'the peer\'s replication address', expected: (n, i) => `ipv4 ${i.addresses[peerOf(n, i)]}:7788`, scope: 'node', read: drbd('address', '_remote_host'),
    profile: { value: hardened((h, n, i) => `ipv4 ${h.replicationLink.addresses[peerOf(n, i)]}:7788`), why: `${HARDENED}: replication on the dedicated link` },
  },
  // heartbeat, H1-H4.
  ...([['keepalive', '2', '2'], ['deadtime', '5', '15'], ['warntime', '10', '6'], ['initdead', '10', '30']] as const).map(([field, guide, hardenedValue]): Requirement => ({
    id: `HB-${field.toUpperCase()}`, source: 'H1', what: `ha.cf ${field}`, expected: guide, scope: 'node', read: haCf(field),
    profile: { value: hardened(() => hardenedValue), why: `${HARDENED}: warntime below deadtime, initdead twice deadtime, and a deadtime a late heartbeat under load does not reach (with STONITH a false death verdict is a power cycle)` },
  })),
  // Relations across the settings (heartbeat's ha.cf advice; DRBD's timers), checked on what is in force.
  {
    id: 'HB-KEEPALIVE-BELOW-WARNTIME', source: "heartbeat ha.cf: keepalive < warntime < deadtime", what: 'keepalive below warntime below deadtime', expected: 'no', scope: 'node',
    read: (n) => relation([haCfNumber(n, 'keepalive'), haCfNumber(n, 'warntime'), haCfNumber(n, 'deadtime')], (k, w, d) => k < w && w < d),
    profile: { value: hardened(() => 'yes'), why: `${HARDENED}: a late heartbeat is warned of before it is a death verdict (the guide's warntime 10 is above its deadtime 5)` },
  },
  {
    id: 'HB-INITDEAD-TWICE-DEADTIME', source: 'heartbeat ha.cf: initdead at least twice deadtime', what: 'initdead ≥ 2 × deadtime', expected: 'yes', scope: 'node',
    read: (n) => relation([haCfNumber(n, 'initdead'), haCfNumber(n, 'deadtime')], (i, d) => i >= 2 * d),
  },
  {
    id: 'HB-DEADTIME-OVER-DRBD-PING', source: 'DRBD 8.4 user guide: ping-int, ping-timeout; docs/fault-facts.md (drbddisk retries while DRBD has not noticed)',
    what: "heartbeat's deadtime longer than DRBD's ping-int + ping-timeout (DRBD notices a lost peer before heartbeat acts)", expected: 'no', scope: 'node',
    read: (n) => relation([haCfNumber(n, 'deadtime'), drbdNumber(n, 'ping-int'), drbdNumber(n, 'ping-timeout')], (d, pi, pt) => d > pi + pt / 10),
    profile: { value: hardened(() => 'yes'), why: `${HARDENED}: DRBD has noticed the loss (and fenced) before heartbeat takes over (HD4's second ask relies on it)` },
  },
  { id: 'HB-AUTO-FAILBACK', source: 'H1; V3', what: 'ha.cf auto_failback', expected: 'on', scope: 'node', read: haCf('auto_failback') },
  { id: 'HB-NODES', source: 'H1', what: 'ha.cf node names', expected: 'linux01 linux02', scope: 'node', read: haCf('node') },
  { id: 'HB-UNAME', source: 'H3 ("the node name is uname -n")', what: 'uname -n is this node\'s name in ha.cf', expected: (n) => n.node, scope: 'node', read: (n) => n.uname },
  {
    id: 'HB-UCAST', source: 'H1 (each node names the other)', what: 'ha.cf ucast: interface and the peer\'s address', scope: 'node',
    expected: (n, i) => `eth0 ${i.addresses[peerOf(n, i)]}`,
    profile: {
      value: (n, i) => `${i.labInterface} ${i.addresses[peerOf(n, i)]}${i.hardening ? ` ${i.hardening.replicationLink.interface} ${i.hardening.replicationLink.addresses[peerOf(n, i)]}` : ''}`,
      why: (i) => `eth0 is Vagrant's management NIC here; the lab network is on the lab interface${i.hardening ? `; ${HARDENED} adds heartbeat's second path on the dedicated link` : ''}`,
    },
    // heartbeat ignores a ucast to the node's own address, so one file can serve both nodes: only the paths to others count.
    read: (n, i) => (n.haCf ? (haCfOf(n).get('ucast') ?? []).filter((l) => l.split(/\s+/)[1] !== i.addresses[n.node]).join(' ') || 'none' : undefined),
  },
  { id: 'HB-PING', source: 'H1; environment table (the gateway)', what: 'ha.cf ping node', expected: '192.168.211.2', scope: 'node', read: haCf('ping') },
  {
    id: 'HB-IPFAIL', source: 'H1', what: 'ha.cf respawn of ipfail', expected: 'hacluster …/ipfail', scope: 'node', read: haCfLine('respawn', /\/ipfail$/),
    accepts: (found) => /^hacluster \/\S+\/ipfail$/.test(found),
  },
  { id: 'HB-APIAUTH', source: 'H1', what: 'ha.cf apiauth of ipfail', expected: 'ipfail gid=haclient uid=hacluster', scope: 'node', read: haCfLine('apiauth', /^ipfail\b/) },
  {
    id: 'HB-DOPD', source: 'H1 (no dopd: H4 prepares the outdater, nothing runs it)', what: 'ha.cf respawn of dopd', expected: 'none', scope: 'node', read: haCfLine('respawn', /\/dopd$/),
    profile: { value: hardened(() => 'hacluster /usr/libexec/heartbeat/dopd'), why: `${HARDENED}: drbd-peer-outdater reaches the peer's dopd through heartbeat` },
  },
  {
    id: 'HB-DOPD-APIAUTH', source: 'H1', what: 'ha.cf apiauth of dopd', expected: 'none', scope: 'node', read: haCfLine('apiauth', /^dopd\b/),
    profile: { value: hardened(() => 'dopd gid=haclient uid=hacluster'), why: `${HARDENED}: dopd may use heartbeat's API` },
  },
  {
    // The token that follows the plugin's name stays out of the report: the device, not its parameters.
    id: 'HB-STONITH', source: 'H1 (no STONITH device: "Shared disks are not protected", heartbeat\'s own warning); DRBD 8.4 user guide, fencing resource-and-stonith', what: 'ha.cf stonith_host (who, device)', expected: 'none', scope: 'node',
    read: (n) => haCfOf(n).get('stonith_host')?.[0]?.split(/\s+/).slice(0, 2).join(' ') ?? 'none',
    profile: { value: hardened(() => '* external/halab-power-switch'), why: `${HARDENED}: a node declared dead that held the group is power-cycled before the takeover (a frozen Primary never thaws into a split brain)` },
  },
  { id: 'HB-CRM', source: 'Heartbeat v1 (haresources): no CRM', what: 'ha.cf crm', expected: 'off', scope: 'node', read: (n) => { const crm = haCf('crm')(n); return crm === 'none' ? 'off' : crm; } },
  { id: 'HB-AUTHKEYS-MODE', source: 'H2 (mode 600); heartbeat refuses other modes', what: 'authkeys owner, group, mode', expected: 'root root 600', scope: 'node', read: (n) => n.authkeysStat || undefined },
  {
    id: 'HB-AUTHKEYS-METHOD', source: 'H2 (auth 1 / 1 crc)', what: 'authkeys method', expected: '1 crc', scope: 'node', read: (n) => n.authkeysMethod || undefined,
    profile: { value: '1 sha1', why: 'crc authenticates nothing: any host on the lab network could speak for a node' },
  },
  {
    id: 'HB-HARESOURCES', source: 'H3 (started left to right, stopped right to left)', what: 'haresources', scope: 'node',
    expected: 'linux01 drbddisk::r0 Filesystem::/dev/drbd0::/data::ext3 192.168.211.120 mysqld',
    profile: {
      value: 'linux01 drbddisk::r0 Filesystem::/dev/drbd0::/data::ext3 IPaddr::192.168.211.120/24/eth1 mariadb',
      why: 'IPaddr would pick eth0 (Vagrant\'s NIC) for the bare VIP; Debian 12 has MariaDB\'s init script `mariadb`, no `mysqld`',
    },
    read: (n) => n.haresources.split('\n').map((l) => l.replace(/#.*$/, '').trim().replace(/\s+/g, ' ')).filter(Boolean).join(' | ') || undefined,
  },
  {
    id: 'HB-HARESOURCES-SAME', source: 'H3 (the same file on both nodes)', what: 'haresources identical on every node', expected: 'identical', scope: 'cluster',
    read: (_, i) => (new Set(i.nodes.map((n) => n.haresources.trim())).size === 1 ? 'identical' : 'differs'),
  },
  ...['/usr/sbin/drbdsetup', '/usr/sbin/drbdmeta'].map((file): Requirement => ({
    id: `HB-OUTDATER-${file.split('/').pop()!.toUpperCase()}`, source: 'H4 (chgrp haclient; chmod o-x; chmod u+s)', what: `${file}: owner, group, mode`,
    expected: 'root haclient 4754', scope: 'node',
    read: (n) => {
      const line = n.outdaterBinaries.find((l) => l.endsWith(` ${file}`));
      return line ? line.replace(/ \S+$/, '').replace(/^missing$/, 'missing') : undefined;
    },
  })),
  // What the daemons report at runtime, on each node: the files say what was meant, these what is in force.
  {
    id: 'HB-RUNTIME-RUNNING', source: 'cl_status hbstatus (heartbeat 3.0.6)', what: 'heartbeat answers on its API', expected: 'running', scope: 'node',
    read: runtime((r) => (r.hbstatus === '0' ? 'running' : `not running (cl_status exit ${r.hbstatus ?? '?'})`)),
  },
  {
    id: 'HB-RUNTIME-PEER', source: 'cl_status nodestatus', what: "heartbeat's view of the peer", expected: 'active', scope: 'node',
    read: runtime((r, n, i) => r.nodes[peerOf(n, i)] ?? 'not a node heartbeat knows'),
  },
  {
    id: 'HB-RUNTIME-PING', source: 'cl_status nodestatus of the ping node (H1: ping 192.168.211.2)', what: "heartbeat's view of the ping node", expected: 'ping', scope: 'node',
    read: runtime((r) => r.nodes['192.168.211.2'] ?? 'not a node heartbeat knows'),
  },
  {
    id: 'HB-RUNTIME-LINKS', source: 'cl_status listhblinks, hblinkstatus', what: "heartbeat's paths to the peer and their status", scope: 'node',
    expected: (_, i) => `${i.labInterface} up`,
    profile: { value: hardened((h, _n, i) => `${i.labInterface} up, ${h.replicationLink.interface} up`), why: `${HARDENED}: heartbeat's second path on the dedicated link, up` },
    read: runtime((r) => Object.entries(r.links).sort(([a], [b]) => a.localeCompare(b)).map(([link, status]) => `${link} ${status}`).join(', ') || 'no path'),
  },
  {
    // rscstatus names which of the groups this node holds: its own (`local`, also said by a node whose own group is empty), the peer's (`foreign`), or `all`.
    id: 'HB-RUNTIME-RESOURCES', source: 'cl_status rscstatus; V1 (the group on linux01)', what: 'the resources heartbeat says this node holds', scope: 'node',
    expected: (n, i) => (n.node === i.holder ? 'local' : 'none or local, not the holder\'s (foreign)'),
    read: runtime((r) => r.rsc),
    accepts: (found, expected) => (expected === 'local' ? ['local', 'all'].includes(found) : !['foreign', 'all'].includes(found)),
  },
  {
    id: 'DRBD-RUNTIME', source: 'V4; /proc/drbd', what: 'DRBD connected, both disks UpToDate', expected: 'Connected UpToDate/UpToDate', scope: 'node', read: drbdRuntime,
  },
  // Secrets on the nodes: who may read them (a world-readable secret is anybody's).
  {
    id: 'HB-STONITH-TOKEN-MODE', source: 'STONITH device (a node that can power the peer off); heartbeat runs its plugins as root', what: "the power switch's token file: owner, group, mode", expected: 'none', scope: 'node',
    read: fileMode('/etc/ha.d/halab-power-switch.token'),
    profile: { value: hardened(() => 'root root 600'), why: `${HARDENED}: whoever reads the token can power-cycle either node; root alone` },
  },
  {
    // Only the parameter's kind is reported: a literal token would otherwise land in the report.
    id: 'HB-STONITH-TOKEN-REF', source: 'ha.cf is world-readable (644)', what: "what ha.cf's stonith_host gives the plugin for the token", expected: 'none', scope: 'node',
    read: (n) => { const params = haCfOf(n).get('stonith_host')?.[0]?.split(/\s+/); return params ? (params.at(-1)!.startsWith('/') ? `the file ${params.at(-1)}` : 'the token itself (not shown)') : 'none'; },
    profile: { value: hardened(() => 'the file /etc/ha.d/halab-power-switch.token'), why: `${HARDENED}: ha.cf names the token's file, never the token` },
  },
  { id: 'SQL-DEBIAN-CNF-MODE', source: "Debian's MariaDB package (maintenance credentials)", what: '/etc/mysql/debian.cnf: owner, group, mode', expected: 'root root 600', scope: 'node', read: fileMode('/etc/mysql/debian.cnf') },
  {
    id: 'WP-CONFIG-MODE', source: "Debian's WordPress (/etc/wordpress/config-*.php holds the database password)", what: "WordPress's database configuration: owner, group, mode", expected: 'root www-data 640', scope: 'node',
    read: fileMode('/etc/wordpress/config-default.php'),
  },
  // MariaDB's accounts, read by its root over the local socket on the node that serves.
  {
    id: 'SQL-ANONYMOUS', source: 'MariaDB KB "mariadb-secure-installation" (remove anonymous users)', what: 'anonymous accounts', expected: 'none', scope: 'holder',
    read: accounts((a) => a.users.filter((u) => u.user === '').map((u) => `''@'${u.host}'`).join(', ') || 'none'),
  },
  {
    id: 'SQL-ROOT-REMOTE', source: 'MariaDB KB "mariadb-secure-installation" (root only from localhost)', what: 'root accounts reachable over the network', expected: 'none', scope: 'holder',
    read: accounts((a) => a.users.filter((u) => u.user === 'root' && !LOCAL_HOSTS.includes(u.host)).map((u) => `root@'${u.host}'`).join(', ') || 'none'),
  },
  {
    id: 'SQL-WORDPRESS-HOSTS', source: 'P3 (WordPress on each node reaches MariaDB locally or through the VIP)', what: "the WordPress user's hosts", scope: 'holder',
    expected: (_, i) => `${labHosts(i)}, localhost`,
    read: accounts((a) => a.users.filter((u) => u.user === 'wordpress').map((u) => u.host).sort().join(', ') || 'no such user'),
  },
  {
    id: 'SQL-WORDPRESS-PRIVILEGES', source: 'least privilege: its own database, nothing global', what: 'what the WordPress user may do, and where', scope: 'holder',
    expected: 'global USAGE; databases blog',
    read: accounts((a) => {
      const global = [...new Set(a.globals.filter((g) => /^'wordpress'@/.test(g.grantee)).map((g) => g.privilege))].sort().join(' ') || 'none';
      const dbs = [...new Set(a.dbs.filter((d) => d.user === 'wordpress').map((d) => d.db))].sort().join(' ') || 'none';
      return `global ${global}; databases ${dbs}`;
    }),
  },
  // The data under the service: V1 and the durability a sign-off relies on.
  {
    id: 'DATA-MOUNT', source: 'V1; H3 (Filesystem::/dev/drbd0::/data::ext3)', what: '/data: device and file system on the holder', expected: '/dev/drbd0 ext3', scope: 'holder',
    read: (n) => (n.dataMount ? n.dataMount.split(' ').slice(0, 3).filter((_, k) => k !== 1).join(' ') : 'not mounted'),
  },
  {
    id: 'DATA-MOUNT-BARRIERS', source: 'ext4(5) "barrier"; a commit is durable only if the disk\'s cache is flushed', what: '/data mount options keep write barriers', expected: 'barriers on', scope: 'holder',
    read: (n) => (/\b(nobarrier|barrier=0|data=writeback)\b/.test(n.dataMount.split(' ')[3] ?? '') ? `off (${n.dataMount.split(' ')[3]})` : n.dataMount ? 'barriers on' : undefined),
  },
  { id: 'DATA-MARIADB-UNIT', source: 'H3 (heartbeat starts and stops MySQL)', what: 'mariadb.service at boot', expected: 'disabled', scope: 'node', read: (n) => n.units['mariadb.service'] },
  ...(['drbd', 'heartbeat'] as const).map((unit): Requirement => ({
    id: `BOOT-${unit.toUpperCase()}`, source: 'docs/procedure.md (no step enables anything at boot)', what: `${unit}.service at boot`, expected: 'disabled', scope: 'node',
    profile: { value: hardened(() => 'enabled'), why: `${HARDENED}: a node back from a power cut rejoins by itself` },
    read: (n) => n.units[`${unit}.service`],
  })),
  {
    id: 'DATA-MARIADB-SOCKET', source: 'H3; finding GROUP-ORDER (socket activation restarted mariadbd on the releasing node)', what: 'mariadb.socket', expected: 'masked', scope: 'node',
    read: (n) => n.units['mariadb.socket'],
  },
  { id: 'SQL-DATADIR', source: 'V1 (mysqld runs with --datadir=/data/mysql)', what: 'MariaDB datadir', expected: '/data/mysql/', scope: 'mysql', read: mysqlVar('datadir') },
  {
    id: 'SQL-FLUSH-AT-COMMIT', source: 'MariaDB KB "innodb_flush_log_at_trx_commit": 1 is the only durable setting', what: 'innodb_flush_log_at_trx_commit', expected: '1', scope: 'mysql',
    read: mysqlVar('innodb_flush_log_at_trx_commit'),
  },
  {
    id: 'SQL-SYNC-BINLOG', source: 'MariaDB KB "sync_binlog" (matters only with the binary log on)', what: 'binary log off, or sync_binlog 1', expected: 'log_bin OFF or sync_binlog 1', scope: 'mysql',
    read: (_, i) => (i.mysql ? `log_bin ${i.mysql.variables.log_bin} sync_binlog ${i.mysql.variables.sync_binlog}` : undefined),
    accepts: (found) => /log_bin OFF|sync_binlog 1$/.test(found),
  },
  { id: 'SQL-DOUBLEWRITE', source: 'MariaDB KB "InnoDB doublewrite buffer" (torn pages after a power cut)', what: 'innodb_doublewrite', expected: 'ON', scope: 'mysql', read: mysqlVar('innodb_doublewrite') },
  {
    id: 'SQL-ENGINES', source: 'V5; MariaDB KB "InnoDB recovery" (MyISAM is not crash-safe)', what: 'engine of every blog table', expected: 'all InnoDB', scope: 'mysql',
    read: (_, i) => {
      if (!i.mysql) return undefined;
      const other = Object.entries(i.mysql.engines).filter(([, e]) => e !== 'InnoDB').map(([t, e]) => `${t}=${e}`);
      return Object.keys(i.mysql.engines).length === 0 ? 'no tables' : other.length ? other.join(', ') : 'all InnoDB';
    },
  },
];

/**
 * Which sign-off property a requirement's deviation speaks for: what keeps the data, what keeps
 * one holder, what keeps the service (the rest: timings, the ping node, accounts, modes).
 */
const PROPERTY_OF_REQUIREMENT: [RegExp, 'data safety' | 'exclusive ownership'][] = [
  [/^(DRBD-(FENCING|FENCE-PEER-HANDLER|SPLIT-BRAIN-HANDLER)|HB-(STONITH|DOPD|NODES|UNAME|UCAST|HARESOURCES|AUTHKEYS|RUNTIME-RESOURCES|RUNTIME-LINKS)|BOOT-|DATA-MARIADB-)/, 'exclusive ownership'],
  [/^(DRBD-|DATA-|SQL-(FLUSH|SYNC|DOUBLEWRITE|ENGINES|DATADIR))/, 'data safety'],
];

export function requirementProperty(id: string): 'data safety' | 'exclusive ownership' | 'availability' {
  return PROPERTY_OF_REQUIREMENT.find(([pattern]) => pattern.test(id))?.[1] ?? 'availability';
}

/** A row's finding id: the configuration deviates from (or could not be read against) the requirement. */
export function configFindingId(row: Pick<AuditRow, 'id'>): string {
  return `CONFIG-${row.id}`;
}

/**
 * The audit as the sign-off's three properties: each row not ok is a named finding (CONFIG-<row>)
 * of its property, UNSAFE where it deviates, UNKNOWN where it could not be read; one finding per
 * row id, its nodes named together.
 */
export function configVerdicts(rows: readonly AuditRow[]): { property: 'data safety' | 'exclusive ownership' | 'availability'; verdict: 'SAFE' | 'UNSAFE' | 'UNKNOWN'; findings: { id: string; message: string; evidence: unknown }[] }[] {
  const notOk = rows.filter((r) => r.ok !== true);
  return (['data safety', 'exclusive ownership', 'availability'] as const).map((property) => {
    const mine = notOk.filter((r) => requirementProperty(r.id) === property);
    const ids = [...new Set(mine.map((r) => r.id))];
    const findings = ids.map((id) => {
      const of = mine.filter((r) => r.id === id);
      const first = of[0];
      const deviates = of.some((r) => r.ok === false);
      return {
        id: configFindingId(first),
        message: `${deviates ? 'deviates' : 'could not be read'} on ${of.map((r) => r.node).join(', ')}: ${first.what}: the guide's ${JSON.stringify(first.profile?.value ?? first.expected)}, found ${of.map((r) => JSON.stringify(r.found)).filter((f, k, all) => all.indexOf(f) === k).join(' / ')} (${first.source})`,
        evidence: of.map((r) => ({ node: r.node, expected: r.profile?.value ?? r.expected, found: r.found })),
      };
    });
    const verdict = mine.some((r) => r.ok === false) ? 'UNSAFE' : mine.length ? 'UNKNOWN' : 'SAFE';
    return { property, verdict, findings };
  });
}

/** Every requirement checked where its scope says: one row per node (or one for the cluster). */
export function audit(input: AuditInput, requirements: readonly Requirement[] = REQUIREMENTS): AuditRow[] {
  const rows: AuditRow[] = [];
  for (const r of requirements) {
    const where = r.scope === 'node' ? input.nodes : r.scope === 'holder' ? input.nodes.filter((n) => n.node === input.holder) : input.nodes.slice(0, 1);
    for (const node of where) {
      const value = <T extends string | undefined>(v: T | ((node: NodeConfig, input: AuditInput) => T)) => (typeof v === 'function' ? v(node, input) : v);
      const expected = value(r.expected);
      const profile = r.profile ? value(r.profile.value) : undefined;
      const found = r.read(node, input);
      const wanted = profile ?? expected;
      const ok = found === undefined ? 'unknown' : r.accepts ? r.accepts(found, wanted) : found === wanted;
      rows.push({
        id: r.id, source: r.source, what: r.what, node: r.scope === 'cluster' || r.scope === 'mysql' ? (r.scope === 'mysql' ? 'VIP' : 'all') : node.node,
        expected, ...(profile !== undefined && { profile: { value: profile, why: typeof r.profile!.why === 'function' ? r.profile!.why(input) : r.profile!.why } }), found: found ?? 'could not be read', ok,
      });
    }
  }
  return rows;
}

/** The table for the report: every row, a mark for deviations and for what could not be read. */
export function renderAuditTable(rows: readonly AuditRow[]): string {
  const lines = ['| | id | node | requirement | source | the guide | this profile | found |', '|---|---|---|---|---|---|---|---|'];
  for (const r of rows) {
    const mark = r.ok === true ? 'ok' : r.ok === false ? 'DEVIATES' : 'UNKNOWN';
    lines.push(`| ${mark} | ${r.id} | ${r.node} | ${r.what} | ${r.source} | \`${r.expected}\` | ${r.profile ? `\`${r.profile.value}\`: ${r.profile.why}` : ''} | \`${r.found}\` |`);
  }
  return `${lines.join('\n')}\n`;
}

/** One line per row that is not ok: the row, the expected and the found value. */
export function describeDeviations(rows: readonly AuditRow[]): string[] {
  return rows.filter((r) => r.ok !== true).map((r) => `${r.ok === false ? 'DEVIATES' : 'UNKNOWN'} ${r.id} on ${r.node} (${r.source}): ${r.what}: expected ${JSON.stringify(r.profile?.value ?? r.expected)}, found ${JSON.stringify(r.found)}`);
}
