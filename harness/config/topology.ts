import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { TOPOLOGY_FILE } from '../support/paths.js';
import { formatIPv4, isHostIn, netmask, parseCidr, parseIPv4 } from './ipv4.js';
import { GUIDE_PROFILE, guideProfile, loadProfile, type Profile } from './profile.js';
import { TopologyError, type NodeSpec } from './topology-error.js';
import { parseShape, topologySchema } from './schemas.js';

export { TopologyError, type NodeSpec };

/** The lab's single source of truth: read by the Vagrantfile, the provisioning and the specs. */
export interface Topology {
  prefix: string;
  network: { cidr: string; hostAddress: string; vip: string; interface: string };
  nodes: NodeSpec[];
  vm: { memoryMiB: number; cpus: number; dataDiskMiB: number };
  lvm: { vg: string; lv: string; extentMiB: number; lvMiB: number };
  drbd: { resource: string; device: string; port: number; protocol: 'A' | 'B' | 'C'; syncRate: string; alExtents: number };
  heartbeat: { keepalive: number; deadtime: number; warntime: number; initdead: number; autoFailback: boolean; auth: 'sha1' | 'md5' | 'crc' };
  wordpress: { title: string; posts: number; commentsPerPost: number };
  mysql: { mountPoint: string; datadir: string; fsType: string; database: string };
  box: { name: string };
}

/** Derived values that every consumer would otherwise compute again. */
export interface ResolvedTopology extends Topology {
  netmask: string;
  prefixLength: number;
  /** The guide's ping node is the host side of the lab network. */
  pingNode: string;
  primary: NodeSpec;
  secondary: NodeSpec;
  /** The configuration profile: the guide's, or a hardening beside topology.json (profile.ts). */
  profile: Profile;
}

export const DEFAULT_TOPOLOGY_FILE = TOPOLOGY_FILE;

/** Room the VG must leave beyond the LV: the guide grows the LV by one extent for DRBD metadata (P5/S5). */
const EXTENTS_RESERVED_FOR_METADATA = 1;
/** LVM keeps the first MiB of the PV for its label and metadata. */
const PV_OVERHEAD_MIB = 1;

export function loadTopology(file = DEFAULT_TOPOLOGY_FILE, profile = GUIDE_PROFILE): ResolvedTopology {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new TopologyError(`${file}: cannot read topology: ${(error as Error).message}`);
  }
  const topology = validateTopology(raw, file);
  // The hand checks above say what a value must be; the schema then refuses what is not a field at all (a misspelt key).
  parseShape(topologySchema, raw, file);
  const loaded = loadProfile(profile, topology, dirname(file));
  // A profile's heartbeat timing is the cluster's: ha.cf, the scenarios' quiet windows and RTO floor all read topology.heartbeat.
  const timing = loaded.hardening?.heartbeat.timing;
  return { ...topology, ...(timing ? { heartbeat: { ...topology.heartbeat, ...timing } } : {}), profile: loaded };
}

/** Refuses a bad topology with one line naming the file, the field and the value. */
export function validateTopology(raw: unknown, source = 'topology.json'): ResolvedTopology {
  const fail = (field: string, value: unknown, why: string): never => {
    throw new TopologyError(`${source}: ${field} = ${JSON.stringify(value)}: ${why}`);
  };
  const t = raw as Topology;
  const get = (path: string): unknown =>
    path.split(/[.[\]]+/).filter(Boolean).reduce<any>((at, key) => (at == null ? undefined : at[key]), t);
  const text = (path: string, pattern = /^[A-Za-z0-9][A-Za-z0-9_./-]*$/): string => {
    const value = get(path);
    if (typeof value !== 'string' || !pattern.test(value)) fail(path, value, `must be a string matching ${pattern}`);
    return value as string;
  };
  const int = (path: string, min: number, max: number): number => {
    const value = get(path);
    if (!Number.isInteger(value) || (value as number) < min || (value as number) > max)
      fail(path, value, `must be a whole number from ${min} to ${max}`);
    return value as number;
  };
  const address = (path: string): number => {
    const value = get(path);
    const parsed = typeof value === 'string' ? parseIPv4(value) : undefined;
    if (parsed === undefined) fail(path, value, 'is not an IPv4 address');
    if (!isHostIn(cidr!, parsed!)) fail(path, value, `is not a host address in ${t.network.cidr}`);
    return parsed!;
  };

  if (typeof raw !== 'object' || raw === null) fail('(root)', raw, 'must be a JSON object');
  text('prefix', /^[a-z][a-z0-9-]{1,30}$/);
  const cidrText = get('network.cidr');
  const cidr = typeof cidrText === 'string' ? parseCidr(cidrText) : undefined;
  if (!cidr) fail('network.cidr', cidrText, 'is not a network in CIDR form such as 192.168.211.0/24');
  text('network.interface', /^[a-z][a-z0-9]{1,14}$/);

  if (!Array.isArray(t.nodes) || t.nodes.length !== 2)
    fail('nodes', t.nodes, 'must list exactly two nodes (primary first), as the guide does');
  const used = new Map<number, string>();
  const claim = (path: string) => {
    const value = address(path);
    const other = used.get(value);
    if (other) fail(path, get(path), `is already used by ${other}`);
    used.set(value, path);
  };
  claim('network.hostAddress');
  claim('network.vip');
  const names = new Set<string>();
  t.nodes.forEach((_, i) => {
    // heartbeat matches `uname -n` against these: a plain host name, no domain.
    const name = text(`nodes[${i}].name`, /^[a-z][a-z0-9-]{0,62}$/);
    if (names.has(name)) fail(`nodes[${i}].name`, name, 'is a duplicate node name');
    names.add(name);
    claim(`nodes[${i}].address`);
  });

  int('vm.memoryMiB', 512, 16384);
  int('vm.cpus', 1, 8);
  const diskMiB = int('vm.dataDiskMiB', 64, 1024 * 1024);
  text('lvm.vg', /^[A-Za-z][A-Za-z0-9_]*$/);
  text('lvm.lv', /^[A-Za-z][A-Za-z0-9_]*$/);
  const extentMiB = int('lvm.extentMiB', 1, 1024);
  if ((extentMiB & (extentMiB - 1)) !== 0) fail('lvm.extentMiB', extentMiB, 'must be a power of two');
  const lvMiB = int('lvm.lvMiB', 16, 1024 * 1024);
  if (lvMiB % extentMiB !== 0) fail('lvm.lvMiB', lvMiB, `must be a multiple of lvm.extentMiB (${extentMiB})`);
  const vgExtents = Math.floor((diskMiB - PV_OVERHEAD_MIB) / extentMiB);
  const needed = lvMiB / extentMiB + EXTENTS_RESERVED_FOR_METADATA;
  if (needed > vgExtents)
    fail('lvm.lvMiB', lvMiB, `LV plus one extent for DRBD metadata needs ${needed} extents of ${extentMiB} MiB, ` +
      `but vm.dataDiskMiB = ${diskMiB} holds only ${vgExtents}: grow the disk or shrink the LV`);

  text('drbd.resource', /^[A-Za-z][A-Za-z0-9_-]*$/);
  text('drbd.device', /^\/dev\/drbd\d+$/);
  int('drbd.port', 1024, 65535);
  text('drbd.protocol', /^[ABC]$/);
  text('drbd.syncRate', /^\d+[KMG]$/);
  int('drbd.alExtents', 7, 65534);
  for (const field of ['keepalive', 'deadtime', 'warntime', 'initdead']) int(`heartbeat.${field}`, 1, 3600);
  if (typeof get('heartbeat.autoFailback') !== 'boolean') fail('heartbeat.autoFailback', get('heartbeat.autoFailback'), 'must be true or false');
  // crc authenticates nothing; it stays available only to reproduce the guide verbatim.
  text('heartbeat.auth', /^(sha1|md5|crc)$/);
  if (t.heartbeat.keepalive >= t.heartbeat.deadtime)
    fail('heartbeat.keepalive', t.heartbeat.keepalive, `must be less than heartbeat.deadtime (${t.heartbeat.deadtime})`);
  text('wordpress.title', /^[^'"\\<>]{1,100}$/);
  int('wordpress.posts', 1, 100000);
  int('wordpress.commentsPerPost', 0, 100);
  const mountPoint = text('mysql.mountPoint', /^\/[A-Za-z0-9_/-]+$/);
  const datadir = text('mysql.datadir', /^\/[A-Za-z0-9_/-]+$/);
  if (!datadir.startsWith(`${mountPoint}/`))
    fail('mysql.datadir', datadir, `must lie under mysql.mountPoint (${mountPoint}) so it moves with the DRBD disk`);
  text('mysql.fsType', /^ext[234]$/);
  text('mysql.database', /^[A-Za-z_][A-Za-z0-9_]*$/);
  text('box.name', /^[a-z0-9-]+\/[a-z0-9.-]+$/);

  return {
    ...t,
    netmask: netmask(cidr!),
    prefixLength: cidr!.prefixLength,
    pingNode: formatIPv4(parseIPv4(t.network.hostAddress)!),
    primary: t.nodes[0],
    secondary: t.nodes[1],
    profile: guideProfile(),
  };
}
