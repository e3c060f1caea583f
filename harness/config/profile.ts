import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_DIR } from '../support/paths.js';
import { formatIPv4, isHostIn, netmask, parseCidr, parseIPv4 } from './ipv4.js';
import { TopologyError, type NodeSpec } from './topology-error.js';
import { parseShape, profileSchema } from './schemas.js';

/**
 * A configuration profile: the guide's (topology.json alone), or one beside it,
 * `topology.<name>.json`, adding the hardening the DRBD 8.4 user guide and the heartbeat
 * documentation prescribe against the fault catalogue. Nothing of it reaches the guide's profile.
 */
export const GUIDE_PROFILE = 'guide';

export interface Hardening {
  /** A dedicated link between the two nodes (a third NIC): DRBD's replication and heartbeat's second path. */
  replicationLink: { interface: string; cidr: string; prefixLength: number; netmask: string; addresses: Record<string, string> };
  drbd: {
    /**
     * `resource-only`: the Primary that loses its peer asks dopd (through heartbeat) to outdate it.
     * `resource-and-stonith`: the same, and its I/O is frozen until that is done, so nothing is
     * acknowledged that the peer has not got or is known not to use (needs heartbeat.stonith).
     */
    fencing: Fencing;
    outdaterTimeoutSeconds: number;
    /** Who the split-brain handler mails (notify-split-brain.sh's argument). */
    splitBrainNotify: string;
    /** The boot's wait for the peer (drbd's init script): `startup { wfc-timeout; degr-wfc-timeout }`. */
    wfcTimeoutSeconds: number;
    degrWfcTimeoutSeconds: number;
  };
  heartbeat: {
    /** dopd respawned by heartbeat, with its apiauth: what drbd-peer-outdater talks to. */
    dopd: true;
    /**
     * heartbeat v1 cannot make auto_failback wait for the disk: heartbeat starts only once the
     * local DRBD disk is UpToDate (or no peer answers to sync from), at most this long.
     */
    waitForUpToDateSeconds: number;
    /**
     * heartbeat's STONITH device: the lab's power switch (the hypervisor, served to the nodes on
     * the management network during a run): a node declared dead that held the group is
     * power-cycled before anyone takes the group over.
     */
    stonith?: { port: number };
    /**
     * heartbeat's timing instead of the guide's (H1: deadtime 5 s, warntime 10 s, i.e. no warning
     * ever comes before the death verdict). heartbeat's own ha.cf advice: warntime below deadtime,
     * initdead at least twice deadtime; with STONITH, every false death verdict is a power cycle.
     */
    timing?: HeartbeatTiming;
  };
  /** Units enabled at boot, so that a node back from a power cut rejoins by itself. */
  startAtBoot: string[];
}

export interface HeartbeatTiming { keepalive: number; warntime: number; deadtime: number; initdead: number }

export const FENCING_POLICIES = ['resource-only', 'resource-and-stonith'] as const;
export type Fencing = (typeof FENCING_POLICIES)[number];

export interface Profile {
  name: string;
  /** The file it came from; the guide's profile has none beyond topology.json. */
  file?: string;
  hardening?: Hardening;
}

export const guideProfile = (): Profile => ({ name: GUIDE_PROFILE });

export function profileFile(name: string, dir = PROJECT_DIR): string {
  return join(dir, `topology.${name}.json`);
}

/** The profiles there are: the guide's and every topology.<name>.json beside topology.json. */
export function knownProfiles(dir = PROJECT_DIR): string[] {
  return [GUIDE_PROFILE, ...readdirSync(dir).flatMap((f) => /^topology\.([a-z][a-z0-9-]*)\.json$/.exec(f)?.[1] ?? []).sort()];
}

/** A profile name from the command line or the environment; an unknown one is refused with the known ones. */
export function parseProfileName(value: string | undefined, source = '--profile', dir = PROJECT_DIR): string {
  if (value === undefined || value === '' || value === GUIDE_PROFILE) return GUIDE_PROFILE;
  if (/^[a-z][a-z0-9-]*$/.test(value) && existsSync(profileFile(value, dir))) return value;
  throw new TopologyError(`${source} ${JSON.stringify(value)}: no such profile (no ${profileFile(value, dir)}); the profiles are: ${knownProfiles(dir).join(', ')}`);
}

export function loadProfile(name: string, topology: { nodes: NodeSpec[]; network: { cidr: string; interface: string } }, dir = PROJECT_DIR): Profile {
  if (name === GUIDE_PROFILE) return guideProfile();
  const file = profileFile(name, dir);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new TopologyError(`${file}: cannot read profile: ${(error as Error).message}`);
  }
  const hardening = validateHardening(raw, file, name, topology);
  parseShape(profileSchema, raw, file);
  return { name, file, hardening };
}

/** The management network vagrant-libvirt gives eth0 (lab-settings): no profile network may overlap it. */
const MANAGEMENT_CIDR = '192.168.121.0/24';
/** The host's end of the management network, where the nodes reach the lab's power switch. */
export const MANAGEMENT_GATEWAY = '192.168.121.1';

/** Where a node's STONITH plugin asks the lab's power switch to power-cycle its peer. */
export function powerSwitchUrl(port: number): string {
  return `http://${MANAGEMENT_GATEWAY}:${port}`;
}

/** Refuses a bad profile with one line naming the file, the field and the value, as the topology's validation does. */
export function validateHardening(raw: unknown, source: string, name: string, t: { nodes: NodeSpec[]; network: { cidr: string; interface: string } }): Hardening {
  const fail = (field: string, value: unknown, why: string): never => {
    throw new TopologyError(`${source}: ${field} = ${JSON.stringify(value)}: ${why}`);
  };
  if (typeof raw !== 'object' || raw === null) fail('(root)', raw, 'must be a JSON object');
  const h = raw as Record<string, any>;
  const get = (path: string): unknown => path.split('.').reduce<any>((at, key) => (at == null ? undefined : at[key]), h);
  const int = (path: string, min: number, max: number): number => {
    const value = get(path);
    if (!Number.isInteger(value) || (value as number) < min || (value as number) > max) fail(path, value, `must be a whole number from ${min} to ${max}`);
    return value as number;
  };
  if (h.profile !== name) fail('profile', h.profile, `must be "${name}", the name in the file's name`);

  const link = get('replicationLink.interface');
  if (typeof link !== 'string' || !/^[a-z][a-z0-9]{1,14}$/.test(link)) fail('replicationLink.interface', link, 'must be an interface name such as eth2');
  if (link === t.network.interface || link === 'eth0') fail('replicationLink.interface', link, `must be a NIC of its own (not the lab's ${t.network.interface}, not Vagrant's eth0)`);
  const cidrText = get('replicationLink.cidr');
  const cidr = typeof cidrText === 'string' ? parseCidr(cidrText) : undefined;
  if (!cidr) fail('replicationLink.cidr', cidrText, 'is not a network in CIDR form such as 192.168.212.0/24');
  for (const other of [t.network.cidr, MANAGEMENT_CIDR]) {
    const o = parseCidr(other)!;
    const bits = Math.min(o.prefixLength, cidr!.prefixLength);
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    if (((o.network & mask) >>> 0) === ((cidr!.network & mask) >>> 0)) fail('replicationLink.cidr', cidrText, `overlaps ${other}: the dedicated link needs its own network`);
  }
  const addresses: Record<string, string> = {};
  const seen = new Set<number>();
  for (const node of t.nodes) {
    const path = `replicationLink.addresses.${node.name}`;
    const value = get(path);
    const parsed = typeof value === 'string' ? parseIPv4(value) : undefined;
    if (parsed === undefined || !isHostIn(cidr!, parsed)) fail(path, value, `must be a host address in ${cidrText} (one per node of topology.json)`);
    if (seen.has(parsed!)) fail(path, value, 'is already used by the other node');
    seen.add(parsed!);
    addresses[node.name] = formatIPv4(parsed!);
  }
  const extra = Object.keys((get('replicationLink.addresses') as object) ?? {}).filter((n) => !t.nodes.some((node) => node.name === n));
  if (extra.length) fail(`replicationLink.addresses.${extra[0]}`, get(`replicationLink.addresses.${extra[0]}`), 'names no node of topology.json');

  const fencing = get('drbd.fencing');
  if (!FENCING_POLICIES.includes(fencing as Fencing)) fail('drbd.fencing', fencing, `must be one of ${FENCING_POLICIES.map((f) => `"${f}"`).join(', ')} (both with dopd)`);
  const stonith = get('heartbeat.stonith');
  if (stonith !== undefined && (typeof stonith !== 'object' || stonith === null)) fail('heartbeat.stonith', stonith, 'must be an object such as { "port": 1229 }');
  const stonithPort = stonith === undefined ? undefined : int('heartbeat.stonith.port', 1024, 65535);
  if (fencing === 'resource-and-stonith' && stonithPort === undefined)
    fail('heartbeat.stonith', stonith, 'must be set with drbd.fencing "resource-and-stonith": frozen I/O waits for a fence that only STONITH completes when the peer cannot be reached');
  const notify = get('drbd.splitBrainNotify');
  if (typeof notify !== 'string' || !/^[a-z_][a-z0-9_.@-]*$/.test(notify)) fail('drbd.splitBrainNotify', notify, 'must be a mail recipient such as root');
  if (get('heartbeat.dopd') !== true) fail('heartbeat.dopd', get('heartbeat.dopd'), 'must be true: DRBD\'s fencing does nothing without dopd under heartbeat');
  const boot = get('startAtBoot');
  if (!Array.isArray(boot) || boot.some((u) => u !== 'drbd' && u !== 'heartbeat') || !boot.includes('drbd') || !boot.includes('heartbeat'))
    fail('startAtBoot', boot, 'must list "drbd" and "heartbeat": a returning node rejoins only if both start at boot');
  const timing = get('heartbeat.timing');
  if (timing !== undefined && (typeof timing !== 'object' || timing === null)) fail('heartbeat.timing', timing, 'must be an object such as { "keepalive": 2, "warntime": 6, "deadtime": 15, "initdead": 30 }');
  let heartbeatTiming: HeartbeatTiming | undefined;
  if (timing !== undefined) {
    const [keepalive, warntime, deadtime, initdead] = (['keepalive', 'warntime', 'deadtime', 'initdead'] as const).map((f) => int(`heartbeat.timing.${f}`, 1, 3600));
    if (keepalive >= warntime) fail('heartbeat.timing.keepalive', keepalive, `must be less than warntime (${warntime})`);
    if (warntime >= deadtime) fail('heartbeat.timing.warntime', warntime, `must be less than deadtime (${deadtime}): a late heartbeat is warned of before the peer is declared dead`);
    if (initdead < 2 * deadtime) fail('heartbeat.timing.initdead', initdead, `must be at least twice deadtime (${2 * deadtime}), as heartbeat's ha.cf advises`);
    heartbeatTiming = { keepalive, warntime, deadtime, initdead };
  }
  return {
    replicationLink: { interface: link as string, cidr: cidrText as string, prefixLength: cidr!.prefixLength, netmask: netmask(cidr!), addresses },
    drbd: {
      fencing: fencing as Fencing, outdaterTimeoutSeconds: int('drbd.outdaterTimeoutSeconds', 1, 60), splitBrainNotify: notify as string,
      wfcTimeoutSeconds: int('drbd.wfcTimeoutSeconds', 1, 3600), degrWfcTimeoutSeconds: int('drbd.degrWfcTimeoutSeconds', 1, 3600),
    },
    heartbeat: {
      dopd: true, waitForUpToDateSeconds: int('heartbeat.waitForUpToDateSeconds', 10, 7200),
      ...(stonithPort === undefined ? {} : { stonith: { port: stonithPort } }),
      ...(heartbeatTiming ? { timing: heartbeatTiming } : {}),
    },
    startAtBoot: boot as string[],
  };
}

/**
 * Where DRBD replicates and heartbeat's second path runs: the dedicated link in a hardened
 * profile, the lab network (the guide's only one) otherwise.
 */
export function replicationPath(t: { profile: Profile; network: { interface: string }; nodes: NodeSpec[] }, node: string): { interface: string; address: string } {
  const link = t.profile.hardening?.replicationLink;
  if (link) return { interface: link.interface, address: link.addresses[node] };
  const spec = t.nodes.find((n) => n.name === node);
  if (!spec) throw new Error(`${node} is not a node of the topology`);
  return { interface: t.network.interface, address: spec.address };
}
