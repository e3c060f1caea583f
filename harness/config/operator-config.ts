import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { ResolvedTopology } from './topology.js';
import { operatorMappingSchema, parseShape } from './schemas.js';

/**
 * An operator's own configuration under test (`--config <dir>`): their DRBD resource, ha.cf,
 * haresources, authkeys method and MariaDB fragment, with a mapping of their names to the lab's.
 * Loaded, mapped and checked on the host, before any VM starts: whatever cannot be mapped or
 * cannot work in the lab is refused naming the file, the line and what to do.
 */

/** The files of a configuration directory: required, then optional. */
export const OPERATOR_FILES = { drbd: 'drbd.conf', haCf: 'ha.cf', haresources: 'haresources', authkeys: 'authkeys', mapping: 'mapping.json', acceptance: 'acceptance.json' } as const;
export const OPERATOR_MARIADB_FILE = 'mariadb.cnf';

/** The operator's names (left) for the lab's (right); each kind replaced where it stands as a whole token. */
export interface OperatorMapping {
  nodes: Record<string, string>;
  addresses: Record<string, string>;
  interfaces?: Record<string, string>;
  /** Devices, mount points, directories, programs: a path also maps the paths under it. */
  paths?: Record<string, string>;
  /** Any other word: the DRBD resource's name, heartbeat's name for the MySQL init script. */
  words?: Record<string, string>;
}

export interface OperatorConfig {
  /** The directory as given, resolved. */
  dir: string;
  /** Its base name: the reports go to reports/config-<name>/. */
  name: string;
  /** The files as deployed: mapped to the lab's names. */
  drbdConf: string;
  haCf: string;
  haresources: string;
  authkeysMethod: 'crc' | 'sha1' | 'md5';
  mariadbCnf?: string;
  acceptanceFile: string;
  /** heartbeat's timing in force with these files: the scenarios' budgets and quiet windows follow it. */
  heartbeat: Pick<ResolvedTopology['heartbeat'], 'keepalive' | 'deadtime' | 'warntime' | 'initdead' | 'autoFailback' | 'auth'>;
  /** sha256 of every file: a kept cluster built with other files is not reused. */
  digest: string;
}

export interface ConfigProblem {
  file: string;
  line?: number;
  message: string;
  fix: string;
}

export class OperatorConfigError extends Error {
  override name = 'OperatorConfigError';
  constructor(readonly dir: string, readonly problems: ConfigProblem[]) {
    super(`${dir}: the configuration cannot run in the lab (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map(describeProblem).join('\n')}`);
  }
}

export function describeProblem(p: ConfigProblem): string {
  return `  ${p.file}${p.line ? `:${p.line}` : ''}: ${p.message} — ${p.fix}`;
}

/** ha.cf directives heartbeat 3.0.6 knows (its config.c and the media plugins); anything else it refuses to start with. */
export const HA_CF_DIRECTIVES = new Set([
  'apiauth', 'autojoin', 'auto_failback', 'baud', 'bcast', 'client_child', 'compression', 'compression_threshold', 'conn_logd_time', 'coredumps', 'crm',
  'deadping', 'deadtime', 'debug', 'debugfile', 'env', 'hbgenmethod', 'hopfudge', 'initdead', 'keepalive', 'logfacility', 'logfile', 'max_rexmit_delay', 'mcast',
  'mcast6', 'medium', 'memreserve', 'msgfmt', 'nice_failback', 'node', 'pacemaker', 'ping', 'ping_group', 'realtime', 'record_config_changes', 'respawn',
  'rtprio', 'serial', 'stonith', 'stonith_host', 'syslogmsgfmt', 'traditional_compression', 'ucast', 'udpport', 'use_logd', 'uuidfrom', 'warntime', 'watchdog',
]);

/** What the lab's box has for heartbeat to respawn (Debian 12's heartbeat 3.0.6). */
export const BOX_HEARTBEAT_PROGRAMS = ['/usr/libexec/heartbeat/ipfail', '/usr/libexec/heartbeat/dopd'];

/** haresources' resources the box can run: heartbeat's resource.d scripts and the init scripts it has. */
export const BOX_RESOURCE_AGENTS = [
  'AudibleAlarm', 'Delay', 'Filesystem', 'ICP', 'IPaddr', 'IPaddr2', 'IPsrcaddr', 'IPv6addr', 'LVM', 'LinuxSCSI', 'MailTo', 'OCF', 'Raid1', 'SendArp', 'ServeRAID',
  'WAS', 'WinPopup', 'Xinetd', 'apache', 'db2', 'drbddisk', 'drbdupper', 'portblock', 'mariadb', 'nginx', 'php8.2-fpm',
];

/** The heartbeat log the harness reads (milestones, takeovers): ha.cf must write it. */
export const HA_LOG_FILE = '/var/log/ha-log';

const IPV4 = /(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}(?![\d])/g;
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The lab's values a mapping may point to, by kind. */
export function labTargets(t: ResolvedTopology): Record<'nodes' | 'addresses' | 'interfaces', string[]> {
  return {
    nodes: t.nodes.map((n) => n.name),
    addresses: [...t.nodes.map((n) => n.address), t.network.vip, t.network.hostAddress],
    interfaces: [t.network.interface],
  };
}

/**
 * The operator's text with their names replaced by the lab's: each kind as a whole token
 * (an address not inside a longer one, a path also as the start of a longer path), longest
 * first, every line where it was, so that a problem's line number is the operator's.
 */
export function applyMapping(text: string, mapping: OperatorMapping): string {
  const rules: { from: string; to: string; pattern: RegExp }[] = [];
  const add = (table: Record<string, string> | undefined, pattern: (from: string) => RegExp) => {
    for (const [from, to] of Object.entries(table ?? {})) rules.push({ from, to, pattern: pattern(escape(from)) });
  };
  add(mapping.addresses, (f) => new RegExp(`(?<![\\d.])${f}(?![\\d])`, 'g'));
  add(mapping.paths, (f) => new RegExp(`(?<![\\w./-])${f}(?![\\w.-])`, 'g'));
  add(mapping.interfaces, (f) => new RegExp(`(?<![\\w.:-])${f}(?![\\w-])`, 'g'));
  add(mapping.nodes, (f) => new RegExp(`(?<![\\w./-])${f}(?![\\w/-])`, 'g'));
  add(mapping.words, (f) => new RegExp(`(?<![\\w./-])${f}(?![\\w/-])`, 'g'));
  rules.sort((a, b) => b.from.length - a.from.length);
  // One pass per line with a placeholder per rule, so that a replacement is never replaced again.
  return text.split('\n').map((line) => {
    const found: string[] = [];
    let out = line;
    for (const rule of rules) out = out.replace(rule.pattern, () => `\u0000${found.push(rule.to) - 1}\u0000`);
    return out.replace(/\u0000(\d+)\u0000/g, (_, i: string) => found[Number(i)]);
  }).join('\n');
}

/** Each line without its comment, with its number. */
function contentLines(text: string): { n: number; text: string }[] {
  return text.split('\n').map((raw, i) => ({ n: i + 1, text: raw.replace(/#.*$/, '').trim() })).filter((l) => l.text);
}

/** Every IPv4 address the files use must be one of the lab's once mapped. */
function checkAddresses(file: string, text: string, t: ResolvedTopology, problems: ConfigProblem[]): void {
  const lab = labTargets(t).addresses;
  for (const line of contentLines(text)) {
    for (const address of line.text.match(IPV4) ?? []) {
      if (!lab.includes(address)) {
        problems.push({ file, line: line.n, message: `address ${address} is not an address of the lab`, fix: `map it in mapping.json "addresses" to one of ${lab.join(', ')}` });
      }
    }
  }
}

/** The DRBD resource as the lab can run it: the lab's resource name, nodes, LV, device, internal metadata. */
export function checkDrbdConf(text: string, t: ResolvedTopology, file = OPERATOR_FILES.drbd): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const lv = `/dev/${t.lvm.vg}/${t.lvm.lv}`;
  let depth = 0;
  let on: string | undefined;
  const resources: string[] = [];
  const hosts: string[] = [];
  for (const line of contentLines(text)) {
    const words = line.text.replace(/[{};]/g, ' ').trim().split(/\s+/);
    const [keyword, value] = words;
    if (keyword === 'include') problems.push({ file, line: line.n, message: 'include pulls in files the lab does not have', fix: 'put the included resource into drbd.conf itself' });
    if (keyword === 'resource') resources.push(value);
    if (keyword === 'on') {
      on = value;
      hosts.push(value);
      if (!t.nodes.some((n) => n.name === value)) problems.push({ file, line: line.n, message: `on ${value}: not a lab node`, fix: `map the host name in mapping.json "nodes" to ${t.nodes.map((n) => n.name).join(' or ')}` });
    }
    if (keyword === 'disk' && value && !line.text.includes('{') && value !== lv) problems.push({ file, line: line.n, message: `disk ${value}: the lab's backing disk is ${lv}`, fix: `map it in mapping.json "paths" to ${lv}` });
    if (keyword === 'device' && value !== t.drbd.device) problems.push({ file, line: line.n, message: `device ${value}: the lab's DRBD device is ${t.drbd.device}`, fix: `map it in mapping.json "paths" to ${t.drbd.device}` });
    if ((keyword === 'meta-disk' || keyword === 'flexible-meta-disk') && value !== 'internal') {
      problems.push({ file, line: line.n, message: `${keyword} ${value}: the procedure converts the data in place with internal metadata (P5)`, fix: 'use meta-disk internal' });
    }
    if (keyword === 'address' && on) {
      const address = /(\d+\.\d+\.\d+\.\d+):\d+/.exec(line.text)?.[1];
      const own = t.nodes.find((n) => n.name === on)?.address;
      if (address && own && address !== own) problems.push({ file, line: line.n, message: `on ${on}: address ${address} is not ${on}'s (${own})`, fix: 'map the node\'s replication address in mapping.json "addresses" to its lab address' });
    }
    depth += (line.text.match(/{/g) ?? []).length - (line.text.match(/}/g) ?? []).length;
    if (depth < 0) problems.push({ file, line: line.n, message: 'a } closes nothing', fix: 'remove it' });
    if (line.text.includes('}') && depth <= 1) on = undefined;
  }
  if (depth > 0) problems.push({ file, message: `${depth} { left open at the end of the file`, fix: 'close every section' });
  if (!resources.includes(t.drbd.resource)) {
    problems.push({ file, message: `no resource ${t.drbd.resource} (found ${resources.join(', ') || 'none'})`, fix: `map the resource's name in mapping.json "words" to ${t.drbd.resource}` });
  }
  for (const node of t.nodes) if (!hosts.includes(node.name)) problems.push({ file, message: `no "on ${node.name}" section`, fix: 'give each node its section, and map the host names in mapping.json "nodes"' });
  checkAddresses(file, text, t, problems);
  return problems;
}

/** A heartbeat time: seconds, or `500ms`. */
function heartbeatSeconds(value: string | undefined): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(value ?? '');
  if (!m) return undefined;
  return m[2] === 'ms' ? Number(m[1]) / 1000 : Number(m[1]);
}

/** ha.cf as heartbeat 3.0.6 on the box can run it on the lab's nodes and network; and its timing. */
export function checkHaCf(text: string, t: ResolvedTopology, file = OPERATOR_FILES.haCf): { problems: ConfigProblem[]; timing: Partial<OperatorConfig['heartbeat']> } {
  const problems: ConfigProblem[] = [];
  const timing: Partial<OperatorConfig['heartbeat']> = {};
  const nodes = new Set<string>();
  const lab = labTargets(t);
  let logfile: string | undefined;
  for (const line of contentLines(text)) {
    const [directive, ...args] = line.text.split(/\s+/);
    if (!HA_CF_DIRECTIVES.has(directive)) {
      problems.push({ file, line: line.n, message: `"${directive}" is no ha.cf directive heartbeat 3.0.6 knows`, fix: 'remove or correct it (heartbeat would refuse to start)' });
      continue;
    }
    if (directive === 'node') {
      for (const name of args) {
        nodes.add(name);
        if (!lab.nodes.includes(name)) problems.push({ file, line: line.n, message: `node ${name}: not a lab node`, fix: `map it in mapping.json "nodes" to ${lab.nodes.join(' or ')}` });
      }
    }
    if (['ucast', 'bcast', 'mcast', 'mcast6'].includes(directive)) {
      const nic = args[0];
      if (!lab.interfaces.includes(nic)) problems.push({ file, line: line.n, message: `${directive} on ${nic}: the lab's nodes have no such interface`, fix: `map it in mapping.json "interfaces" to ${lab.interfaces.join(' or ')}` });
    }
    if (directive === 'serial' || directive === 'baud') problems.push({ file, line: line.n, message: `${directive}: the lab's VMs have no serial link between them`, fix: 'remove it, or run that path on a real pair (npm run audit)' });
    if (directive === 'ping' || directive === 'ping_group') {
      // ping_group names the group first; every address after it must be the lab's ping node.
      for (const address of (directive === 'ping' ? args : args.slice(1)).filter((a) => /^\d+\.\d+\.\d+\.\d+$/.test(a))) {
        if (address !== t.network.hostAddress) problems.push({ file, line: line.n, message: `${directive} ${address}: the lab's one ping node is ${t.network.hostAddress} (the host side of the lab network)`, fix: `map it in mapping.json "addresses" to ${t.network.hostAddress}` });
      }
    }
    if (directive === 'respawn') {
      const program = args[1];
      if (!BOX_HEARTBEAT_PROGRAMS.includes(program)) problems.push({ file, line: line.n, message: `respawn ${program}: not on the lab's nodes (it has ${BOX_HEARTBEAT_PROGRAMS.join(', ')})`, fix: 'map its path in mapping.json "paths" (Debian keeps heartbeat\'s programs in /usr/libexec/heartbeat), or remove it' });
    }
    if (directive === 'crm' || directive === 'pacemaker') {
      if (!['off', 'no', 'false'].includes(args[0] ?? '')) problems.push({ file, line: line.n, message: `${directive} ${args[0]}: the procedure is Heartbeat v1 (haresources), without a CRM`, fix: `use ${directive} off` });
    }
    if (directive === 'stonith' || directive === 'stonith_host') problems.push({ file, line: line.n, message: `${directive}: the lab has no such fencing device`, fix: 'remove it; the lab\'s STONITH device is the hardened profile\'s power switch (--profile hardened)' });
    if (directive === 'use_logd' && ['yes', 'on', 'true'].includes(args[0] ?? '')) problems.push({ file, line: line.n, message: 'use_logd yes: heartbeat would log through logd, not to a file the harness reads', fix: `use logfile ${HA_LOG_FILE}` });
    if (directive === 'logfile') logfile = args[0];
    if (['keepalive', 'deadtime', 'warntime', 'initdead'].includes(directive)) {
      const seconds = heartbeatSeconds(args[0]);
      if (seconds === undefined) problems.push({ file, line: line.n, message: `${directive} ${args[0]}: not a time`, fix: 'give seconds, e.g. 10, or milliseconds, e.g. 500ms' });
      else timing[directive as 'keepalive'] = seconds;
    }
    if (directive === 'auto_failback') timing.autoFailback = ['on', 'yes', 'true'].includes(args[0] ?? '');
  }
  if (logfile !== HA_LOG_FILE) problems.push({ file, message: `logfile is ${logfile ?? 'not set'}: the harness reads heartbeat's log from ${HA_LOG_FILE}`, fix: `set logfile ${HA_LOG_FILE} (or map your path to it in mapping.json "paths")` });
  for (const node of lab.nodes) if (!nodes.has(node)) problems.push({ file, message: `no node line for ${node}`, fix: 'name both nodes, and map their names in mapping.json "nodes"' });
  checkAddresses(file, text, t, problems);
  return { problems, timing };
}

/** haresources: one group, preferred by a lab node, of resources the box has, on the lab's resource, device, mount point and VIP. */
export function checkHaresources(text: string, t: ResolvedTopology, file = OPERATOR_FILES.haresources): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  // A line ending in \ goes on on the next: the group is reported at its first line.
  const groups: { n: number; text: string }[] = [];
  let open: { n: number; text: string } | undefined;
  for (const line of contentLines(text)) {
    if (open) open.text += ` ${line.text}`;
    else groups.push((open = { ...line }));
    if (open.text.endsWith('\\')) open.text = open.text.slice(0, -1);
    else open = undefined;
  }
  if (groups.length !== 1) problems.push({ file, line: groups[1]?.n, message: `${groups.length} resource groups: the procedure moves one group between the two nodes`, fix: 'keep one line (a group) in haresources' });
  for (const group of groups) {
    const [node, ...resources] = group.text.split(/\s+/);
    if (!t.nodes.some((n) => n.name === node)) problems.push({ file, line: group.n, message: `the group's node ${node} is not a lab node`, fix: `map it in mapping.json "nodes" to ${t.nodes.map((n) => n.name).join(' or ')}` });
    for (const resource of resources) {
      const [agent, ...args] = resource.split('::');
      if (/^\d+\.\d+\.\d+\.\d+/.test(agent)) {
        problems.push({ file, line: group.n, message: `${resource}: a bare address makes IPaddr guess the interface, and in the lab it guesses eth0 (Vagrant's NIC)`, fix: `write IPaddr::${agent.split('/')[0]}/${t.prefixLength}/${t.network.interface}` });
        continue;
      }
      if (!BOX_RESOURCE_AGENTS.includes(agent)) {
        problems.push({ file, line: group.n, message: `${agent}: no such resource agent or init script on the lab's nodes`, fix: `map it in mapping.json "words" to one that is (e.g. mysql → mariadb); they have ${BOX_RESOURCE_AGENTS.join(', ')}` });
      }
      if ((agent === 'drbddisk' || agent === 'drbdupper') && args[0] !== t.drbd.resource) problems.push({ file, line: group.n, message: `${resource}: the lab's DRBD resource is ${t.drbd.resource}`, fix: `map the resource's name in mapping.json "words" to ${t.drbd.resource}` });
      if (agent === 'Filesystem' && (args[0] !== t.drbd.device || args[1] !== t.mysql.mountPoint)) {
        problems.push({ file, line: group.n, message: `${resource}: the lab mounts ${t.drbd.device} on ${t.mysql.mountPoint}`, fix: 'map the device and the mount point in mapping.json "paths"' });
      }
      if ((agent === 'IPaddr' || agent === 'IPaddr2') && args[0]?.split('/')[0] !== t.network.vip) {
        problems.push({ file, line: group.n, message: `${resource}: the lab's VIP is ${t.network.vip}`, fix: `map your VIP in mapping.json "addresses" to ${t.network.vip}` });
      }
    }
  }
  checkAddresses(file, text, t, problems);
  return problems;
}

/** authkeys: the method in force. Its secret is never read: the harness generates the lab's. */
export function checkAuthkeys(text: string, file = OPERATOR_FILES.authkeys): { problems: ConfigProblem[]; method?: OperatorConfig['authkeysMethod'] } {
  const lines = contentLines(text);
  const auth = lines.find((l) => /^auth\s/.test(l.text));
  if (!auth) return { problems: [{ file, message: 'no "auth <index>" line', fix: 'say which key is in force, e.g. "auth 1" and "1 sha1 <secret>"' }] };
  const index = auth.text.split(/\s+/)[1];
  const key = lines.find((l) => l.text.split(/\s+/)[0] === index);
  const method = key?.text.split(/\s+/)[1];
  if (!key) return { problems: [{ file, line: auth.n, message: `auth ${index}: no key ${index}`, fix: `add "${index} sha1 <secret>"` }] };
  if (method !== 'crc' && method !== 'sha1' && method !== 'md5') return { problems: [{ file, line: key.n, message: `key ${index}: method ${method} is not crc, sha1 or md5`, fix: 'use sha1 (crc authenticates nothing)' }] };
  return { problems: [], method };
}

/** The MariaDB fragment: ini syntax, and the datadir the lab's mount holds. */
export function checkMariadbCnf(text: string, t: ResolvedTopology, file = OPERATOR_MARIADB_FILE): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  let section: string | undefined;
  for (const line of text.split('\n').map((raw, i) => ({ n: i + 1, text: raw.replace(/^\s*[#;].*$/, '').trim() })).filter((l) => l.text)) {
    const header = /^\[([\w.-]+)\]$/.exec(line.text);
    if (header) {
      section = header[1];
      continue;
    }
    if (line.text.startsWith('!')) {
      problems.push({ file, line: line.n, message: `${line.text.split(/\s/)[0]} pulls in files the lab does not have`, fix: 'put the settings into mariadb.cnf itself' });
      continue;
    }
    const m = /^([A-Za-z][\w-]*)\s*(?:=\s*(.*))?$/.exec(line.text);
    if (!m) {
      problems.push({ file, line: line.n, message: `"${line.text}" is neither "[section]" nor "option = value"`, fix: 'correct it (MariaDB would refuse to start)' });
      continue;
    }
    if (!section) problems.push({ file, line: line.n, message: `${m[1]} stands before any [section]`, fix: 'put it under [mysqld]' });
    if (m[1].replace(/_/g, '-') === 'datadir' && m[2]?.replace(/\/$/, '') !== t.mysql.datadir) {
      problems.push({ file, line: line.n, message: `datadir ${m[2]}: the lab's data is in ${t.mysql.datadir} on the DRBD mount`, fix: `map your mount point in mapping.json "paths" to ${t.mysql.mountPoint}` });
    }
  }
  return problems;
}

function readConfigFile(dir: string, name: string, problems: ConfigProblem[], required = true): string | undefined {
  const file = join(dir, name);
  if (!existsSync(file)) {
    if (required) problems.push({ file: name, message: 'missing', fix: `put your ${name} into ${dir} (docs/operator-config.md lists the files)` });
    return undefined;
  }
  return readFileSync(file, 'utf8');
}

/**
 * Reads `dir`, maps it to the lab's names and checks every file against `t` (the guide's
 * topology): an OperatorConfigError lists every problem at once, each with its file and line.
 */
export function loadOperatorConfig(dirArg: string, t: ResolvedTopology): OperatorConfig {
  const dir = resolve(dirArg);
  if (!existsSync(dir)) throw new OperatorConfigError(dir, [{ file: dir, message: 'no such directory', fix: 'give the directory that holds your drbd.conf, ha.cf, haresources, authkeys and mapping.json' }]);
  const problems: ConfigProblem[] = [];
  const mappingText = readConfigFile(dir, OPERATOR_FILES.mapping, problems);
  let mapping: OperatorMapping = { nodes: {}, addresses: {} };
  if (mappingText !== undefined) {
    try {
      mapping = parseShape(operatorMappingSchema, JSON.parse(mappingText), join(dir, OPERATOR_FILES.mapping)) as OperatorMapping;
      const targets = labTargets(t);
      for (const kind of ['nodes', 'addresses', 'interfaces'] as const) {
        for (const [from, to] of Object.entries(mapping[kind] ?? {})) {
          if (!targets[kind].includes(to)) problems.push({ file: OPERATOR_FILES.mapping, message: `${kind}.${from} = ${JSON.stringify(to)} is not one of the lab's ${kind}`, fix: `map it to one of ${targets[kind].join(', ')}` });
        }
      }
    } catch (error) {
      problems.push({ file: OPERATOR_FILES.mapping, message: (error as Error).message.replace(`${join(dir, OPERATOR_FILES.mapping)}: `, ''), fix: 'correct mapping.json (schemas/operator-mapping.schema.json)' });
    }
  }
  const raw = {
    drbd: readConfigFile(dir, OPERATOR_FILES.drbd, problems),
    haCf: readConfigFile(dir, OPERATOR_FILES.haCf, problems),
    haresources: readConfigFile(dir, OPERATOR_FILES.haresources, problems),
    authkeys: readConfigFile(dir, OPERATOR_FILES.authkeys, problems),
    mariadb: readConfigFile(dir, OPERATOR_MARIADB_FILE, problems, false),
  };
  const acceptanceFile = join(dir, OPERATOR_FILES.acceptance);
  readConfigFile(dir, OPERATOR_FILES.acceptance, problems);
  const map = (text: string | undefined) => (text === undefined ? undefined : applyMapping(text, mapping));
  const drbdConf = map(raw.drbd);
  const haCf = map(raw.haCf);
  const haresources = map(raw.haresources);
  const mariadbCnf = map(raw.mariadb);
  if (drbdConf !== undefined) problems.push(...checkDrbdConf(drbdConf, t));
  const ha = haCf === undefined ? undefined : checkHaCf(haCf, t);
  if (ha) problems.push(...ha.problems);
  if (haresources !== undefined) problems.push(...checkHaresources(haresources, t));
  const keys = raw.authkeys === undefined ? undefined : checkAuthkeys(raw.authkeys);
  if (keys) problems.push(...keys.problems);
  if (mariadbCnf !== undefined) problems.push(...checkMariadbCnf(mariadbCnf, t));
  if (problems.length) throw new OperatorConfigError(dir, problems);
  const hb = t.heartbeat;
  const timing = ha!.timing;
  const digest = createHash('sha256');
  for (const [name, text] of Object.entries({ ...raw, mapping: mappingText })) digest.update(`${name}\0${text ?? ''}\0`);
  return {
    dir, name: basename(dir), drbdConf: drbdConf!, haCf: haCf!, haresources: haresources!, authkeysMethod: keys!.method!, ...(mariadbCnf !== undefined && { mariadbCnf }), acceptanceFile,
    heartbeat: {
      keepalive: timing.keepalive ?? 2, deadtime: timing.deadtime ?? 30, warntime: timing.warntime ?? hb.warntime, initdead: timing.initdead ?? hb.initdead,
      autoFailback: timing.autoFailback ?? hb.autoFailback, auth: keys!.method!,
    },
    digest: digest.digest('hex').slice(0, 12),
  };
}

/** The topology a run on the operator's files is judged with: heartbeat's timing as their ha.cf has it. */
export function withOperatorConfig(t: ResolvedTopology, config: OperatorConfig): ResolvedTopology {
  return { ...t, heartbeat: { ...t.heartbeat, ...config.heartbeat } };
}
