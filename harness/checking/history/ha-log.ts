/**
 * heartbeat's own account of a takeover, from /var/log/ha-log: the milestones a failover's RTO
 * is made of (the peer declared dead, then each resource script of haresources started, then
 * the takeover complete), and the breakdown of an RTO into them.
 */
import { faultWindows, type History } from './history.js';

export const MILESTONES = ['dead', 'fenced', 'promote', 'mount', 'vip', 'mariadb', 'acquired'] as const;
export type Milestone = (typeof MILESTONES)[number];

/** heartbeat declaring a node dead (a cluster node, or a ping node: ipfail's view of the network). */
const DECLARED_DEAD = /WARN: node (\S+): is dead/;

const PATTERNS: readonly [Milestone, RegExp][] = [
  ['dead', DECLARED_DEAD],
  // A profile with a STONITH device: heartbeat power-cycles the dead node before the takeover.
  ['fenced', /info: node \S+ now reset\./],
  ['promote', /Running \S*resource\.d\/+drbddisk \S+ start\s*$/],
  ['mount', /Running \S*resource\.d\/+Filesystem .* start\s*$/],
  ['vip', /Running \S*resource\.d\/+IPaddr .* start\s*$/],
  ['mariadb', /Running \/etc\/init\.d\/(mariadb|mysql)\s+start\s*$/],
  ['acquired', /foreign resources acquired|mach_down takeover complete/],
];

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * The time of an ha-log line, in ms since the epoch. heartbeat writes two stamps: syslog's
 * (`Nov 27 19:08:51`, no year: `year` supplies it) and its scripts' (`2026/11/27_19:08:54`).
 * The lab's nodes keep UTC. Undefined for a line without a stamp.
 */
export function haLogTime(line: string, year: number): number | undefined {
  const script = /^(\d{4})\/(\d\d)\/(\d\d)_(\d\d):(\d\d):(\d\d)/.exec(line);
  if (script) {
    const [y, mo, d, h, mi, s] = script.slice(1).map(Number);
    return Date.UTC(y, mo - 1, d, h, mi, s);
  }
  const syslog = /^([A-Z][a-z]{2}) +(\d{1,2}) (\d\d):(\d\d):(\d\d) /.exec(line);
  if (!syslog || !MONTHS.includes(syslog[1])) return undefined;
  const [d, h, mi, s] = syslog.slice(2).map(Number);
  return Date.UTC(year, MONTHS.indexOf(syslog[1]), d, h, mi, s);
}

export interface HaLogMilestone {
  at: number;
  milestone: Milestone;
  line: string;
}

/** The milestone lines of an ha-log excerpt, in log order. */
export function haLogMilestones(text: string, year: number): HaLogMilestone[] {
  const found: HaLogMilestone[] = [];
  for (const line of text.split('\n')) {
    const match = PATTERNS.find(([, pattern]) => pattern.test(line));
    const at = match && haLogTime(line, year);
    if (match && at !== undefined) found.push({ at, milestone: match[0], line: line.trim() });
  }
  return found;
}

/**
 * The cluster nodes (of `names`) an ha-log excerpt declares dead. A ping node's "is dead" (ipfail's
 * view of the network) is not among them: only a cluster node declared dead can later "return
 * after partition", the moment heartbeat restarts itself.
 */
export function nodesDeclaredDead(text: string, names: readonly string[]): string[] {
  const dead = new Set<string>();
  for (const match of text.matchAll(new RegExp(DECLARED_DEAD, 'g'))) if (names.includes(match[1])) dead.add(match[1]);
  return [...dead];
}

/** How a milestone is kept in the history: a note, so that the timeline shows it beside the clients' operations. */
export const haLogNote = (node: string, m: HaLogMilestone) => `ha-log ${node}: ${m.milestone}: ${m.line}`;
const NOTE = /^ha-log (\S+): (\w+): /;

/** The milestones that are heartbeat starting a resource script of the group on a node. */
const ACQUIRING: readonly Milestone[] = ['promote', 'mount', 'vip', 'mariadb'];

/** The note that says a node's ha-log was read over the whole scenario: its silence then means something. */
export const haLogReadNote = (node: string, lines: number) => ({ text: `ha-log ${node} read: ${lines} lines since the scenario began`, data: { haLogRead: node } });

/**
 * When heartbeat started a resource script of the group on `node` (its clock, whole seconds), or
 * undefined when its ha-log was not read: then nobody knows what it started.
 */
export function resourceStarts(history: History, node: string): number[] | undefined {
  const notes = history.events().filter((e) => e.kind === 'note');
  if (!notes.some((e) => e.data?.haLogRead === node)) return undefined;
  return notes.flatMap((e) => {
    const match = NOTE.exec(e.text);
    return match && match[1] === node && ACQUIRING.includes(match[2] as Milestone) ? [e.at] : [];
  });
}

/** The segment from a takeover attempt that failed at drbddisk to the one that got the group. */
export const EARLIER_ATTEMPTS = 'failed attempts';

export interface RtoSegment {
  name: string;
  /** Undefined where the log did not show the milestone that ends or begins it. */
  seconds?: number;
}

export interface RtoBreakdown {
  /** The node that took the group over (the first to start drbddisk after the fault). */
  node: string;
  rtoSeconds: number;
  segments: RtoSegment[];
  /** deadtime plus the resource scripts' measured times: what the configuration implies at least. */
  floorSeconds?: number;
}

/**
 * The RTO (fault → first acknowledged write after the outage) split by heartbeat's milestones
 * on the node that took over: detect (fault → peer dead), decide (→ drbddisk start), failed
 * attempts (→ the drbddisk start of the attempt that got the group; only where one failed), promote
 * (→ Filesystem start), mount (→ IPaddr start), VIP (→ MariaDB start), MariaDB start (→ takeover
 * complete), clients (→ the first acknowledged write: ARP, connection retries). Undefined when
 * no takeover was logged after the fault (no failover, or no log). Log stamps are whole
 * seconds of the node's clock: a segment is good to about a second.
 */
export function rtoBreakdown(history: History, rtoSeconds: number | undefined, deadtimeSeconds: number): RtoBreakdown | undefined {
  const window = faultWindows(history, Infinity)[0];
  if (!window || !rtoSeconds) return undefined;
  // Whole-second stamps: a milestone stamped in the fault's second belongs to it.
  const from = window.from - 1000;
  const milestones = history.events().flatMap((e) => {
    const match = e.kind === 'note' ? NOTE.exec(e.text) : null;
    return match && e.at >= from ? [{ node: match[1], milestone: match[2] as Milestone, at: e.at }] : [];
  });
  const node = milestones.find((m) => m.milestone === 'promote')?.node;
  if (!node) return undefined;
  const mine = milestones.filter((x) => x.node === node);
  const firstPromoteAt = mine.find((x) => x.milestone === 'promote')!.at;
  // heartbeat may run the takeover more than once: a drbddisk start that fails (the peer still
  // Primary, as in a partition with DRBD connected) ends that attempt, and a later one (after
  // heartbeat restarts itself at the heal) gets the group. The steps are those of the attempt that
  // got past drbddisk, the last drbddisk start before the first mount; the attempts before it are
  // a segment of their own, not a slow promote.
  const firstMount = mine.find((x) => x.milestone === 'mount' && x.at >= firstPromoteAt);
  const promoteAt = firstMount ? mine.filter((x) => x.milestone === 'promote' && x.at <= firstMount.at).at(-1)!.at : firstPromoteAt;
  // The peer declared dead before the (first) takeover began; a graceful handover (heartbeat
  // stopped, hb_standby) has none, and heartbeat may say "is dead" only afterwards.
  const times = new Map<Milestone, number>();
  const dead = mine.filter((x) => x.milestone === 'dead' && x.at <= firstPromoteAt).at(-1);
  if (dead) times.set('dead', dead.at);
  const fenced = mine.filter((x) => x.milestone === 'fenced' && x.at <= firstPromoteAt && x.at >= (dead?.at ?? from)).at(-1);
  if (fenced) times.set('fenced', fenced.at);
  // From the drbddisk start on, each milestone is the first of its kind after the one before it.
  let after = promoteAt;
  for (const kind of MILESTONES.slice(MILESTONES.indexOf('promote'))) {
    const m = mine.find((x) => x.milestone === kind && x.at >= after);
    if (m) {
      times.set(kind, m.at);
      after = m.at;
    }
  }
  const end = window.from + rtoSeconds * 1000;
  const span = (a: number | undefined, b: number | undefined) => (a !== undefined && b !== undefined ? Math.max(0, b - a) / 1000 : undefined);
  const at = (k: Milestone) => times.get(k);
  const segments: RtoSegment[] = [
    { name: 'detect', seconds: span(window.from, at('dead')) },
    // (only where heartbeat fenced: STONITH before the takeover)
    ...(fenced ? [{ name: 'fence', seconds: span(at('dead') ?? window.from, at('fenced')) }] : []),
    { name: 'decide', seconds: span(at('fenced') ?? at('dead') ?? window.from, firstPromoteAt) },
    // (only where an attempt failed at drbddisk and a later one got the group)
    ...(promoteAt > firstPromoteAt ? [{ name: EARLIER_ATTEMPTS, seconds: span(firstPromoteAt, promoteAt) }] : []),
    { name: 'promote', seconds: span(at('promote'), at('mount')) },
    { name: 'mount', seconds: span(at('mount'), at('vip')) },
    { name: 'VIP', seconds: span(at('vip'), at('mariadb')) },
    { name: 'MariaDB start', seconds: span(at('mariadb'), at('acquired')) },
    { name: 'clients', seconds: span(at('acquired'), end) },
  ];
  // The failed attempts are heartbeat's logged time too: the floor keeps them, so that it still says where the RTO went.
  const scripts = segments.filter((s) => [EARLIER_ATTEMPTS, 'promote', 'mount', 'VIP', 'MariaDB start'].includes(s.name)).map((s) => s.seconds);
  const floorSeconds = scripts.every((s) => s !== undefined) ? deadtimeSeconds + scripts.reduce((a, b) => a! + b!, 0)! : undefined;
  return { node, rtoSeconds, segments, ...(floorSeconds !== undefined && { floorSeconds }) };
}

/** One line for the report: `linux02: detect 5 s, decide 6 s, … (RTO 49 s, floor 41 s)`. */
export function describeBreakdown(b: RtoBreakdown): string {
  const parts = b.segments.map((s) => `${s.name} ${s.seconds === undefined ? '?' : `${s.seconds.toFixed(0)} s`}`);
  return `${b.node}: ${parts.join(', ')} (RTO ${b.rtoSeconds.toFixed(0)} s${b.floorSeconds === undefined ? '' : `, floor ${b.floorSeconds.toFixed(0)} s`})`;
}
