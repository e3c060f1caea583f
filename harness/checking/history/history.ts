/**
 * One append-only history per scenario, as Jepsen keeps it: client operations, fault operations
 * and what each node was seen to hold, all on the harness's clock (epoch ms). Checkers read only
 * this; the report writes it out as JSON lines.
 */
import { RESOURCES, type Holdings, type Resource } from '../../cluster/heartbeat/holdings.js';

/** Jepsen's op types: `info` is an operation whose outcome is unknown (the connection died mid-way). */
export type OpType = 'invoke' | 'ok' | 'fail' | 'info';

/** A client or fault operation: an `invoke`, later completed by `ok`, `fail` or `info` from the same process. */
export interface OpEvent {
  kind: 'op';
  at: number;
  /** `writer-3`, `reader`, `nemesis`. */
  process: string;
  type: OpType;
  /** `write`, `read`, or the fault's name (`crash`, `stop-heartbeat` …). */
  f: string;
  /** A write's id; a final read's ids; a fault's targets. */
  value?: unknown;
  /** Fault ops: `start` or `stop`. */
  phase?: 'start' | 'stop';
  /** The server that answered (a write's `@@hostname`): whose disk acknowledged it. */
  node?: string;
  error?: string;
}

/** What a node held at one moment: the cluster library's reading of the heartbeat group. */
export type NodeState = Holdings;
export { RESOURCES, type Resource };

/** The source of what a node's own sampler reported (the others: a power cut, a lost connection, a boot). */
export const SAMPLER = 'node sampler';

/**
 * The process of a volatile disk's cache loss: a fault op of its own, beside the nemesis's power
 * cut (a process runs one op at a time, and the power cut's is still open when its disk loses the cache).
 */
export const DISK_CACHE_PROCESS = 'disk-cache';

/** The processes of faults, not of clients: the nemesis, the operator's steps, a disk's cache. */
export const FAULT_PROCESSES: readonly string[] = ['nemesis', 'operator', DISK_CACHE_PROCESS];

/** What a node without power holds: nothing, known without asking it. */
export const POWERED_OFF: Holdings = { vip: false, drbdPrimary: false, mounted: false, mysqld: false, drbd: 'powered off' };

/** The source of the `unknown` from a power-on: `by` turned it on, and it boots unseen. */
export const bootingSource = (by: string) => `powered on ${by}: booting, unseen until its sampler answers`;

/** Who powers a node on in its own faults (a STONITH reset is the power switch's). */
export const BY_THE_HARNESS = 'by the harness';

/** From `at` on, `node` held `state`; `unknown` when the harness could not see the node. */
export interface ObserveEvent {
  kind: 'observe';
  at: number;
  node: string;
  state: NodeState | 'unknown';
  /** How it was known: `node sampler`, `powered off`, `observer lost contact: …`. */
  source: string;
}

/** A node's clock against the harness's: node time − harness time, measured over SSH. */
export interface ClockEvent {
  kind: 'clock';
  at: number;
  node: string;
  offsetMs: number;
  rttMs: number;
}

/** A named moment of the scenario (`fault applied`, `heal`, `final read`), for the reader and the picture. */
export interface NoteEvent {
  kind: 'note';
  at: number;
  text: string;
  /** What a checker reads from the moment (a returning node's boot facts), beside the words for the reader. */
  data?: Record<string, unknown>;
}

/**
 * What the host's witness saw, from the lab's namespace on the harness's clock: an ARP reply for
 * `address` (the VIP, or a node's own lab address) from `mac`, or which node's MariaDB answered a
 * query on the VIP (`probe: 'mysql'`, `error` when none did).
 */
export interface WitnessEvent {
  kind: 'witness';
  at: number;
  probe: 'arp' | 'mysql';
  address: string;
  mac?: string;
  /** The lab node `mac` belongs to (absent: not a lab node's), or the node MariaDB named. */
  node?: string;
  error?: string;
}

export type HistoryEvent = OpEvent | ObserveEvent | ClockEvent | NoteEvent | WitnessEvent;

type Without<E, K extends keyof E> = E extends unknown ? Omit<E, K> : never;

export class History {
  private readonly list: HistoryEvent[] = [];

  constructor(private readonly clock: () => number = Date.now) {}

  /** Appends an event stamped now, or at the given (already harness-clock) time. */
  append<E extends HistoryEvent>(event: Without<E, 'at'> & { at?: number }): E {
    const stamped = { ...event, at: event.at ?? this.clock() } as unknown as E;
    this.list.push(stamped);
    return stamped;
  }

  now(): number {
    return this.clock();
  }

  /** Every event, ordered by time (stable: equal times keep their append order). */
  events(): HistoryEvent[] {
    return this.list.map((event, index) => ({ event, index }))
      .sort((a, b) => a.event.at - b.event.at || a.index - b.index)
      .map(({ event }) => event);
  }

  ops(filter: Partial<Pick<OpEvent, 'process' | 'f' | 'type'>> = {}): OpEvent[] {
    return this.events().filter((e): e is OpEvent => e.kind === 'op'
      && (filter.process === undefined || e.process === filter.process)
      && (filter.f === undefined || e.f === filter.f)
      && (filter.type === undefined || e.type === filter.type));
  }

  observations(node?: string): ObserveEvent[] {
    return this.events().filter((e): e is ObserveEvent => e.kind === 'observe' && (node === undefined || e.node === node));
  }

  /** The nodes that appear in observations, in first-seen order. */
  nodes(): string[] {
    return [...new Set(this.observations().map((e) => e.node))];
  }

  /** JSON lines, in time order: the attachment an operator can grep. */
  toJsonLines(): string {
    return this.events().map((e) => JSON.stringify(e)).join('\n') + '\n';
  }

  static fromJsonLines(text: string): History {
    const history = new History();
    for (const line of text.split('\n')) if (line.trim()) history.list.push(JSON.parse(line));
    return history;
  }
}

/** An invoke paired with its completion (none yet: the process was stopped before it answered). */
export interface CompletedOp {
  process: string;
  f: string;
  value?: unknown;
  invokedAt: number;
  completedAt?: number;
  type: Exclude<OpType, 'invoke'> | 'pending';
  error?: string;
  /** The server that answered, when the client knew it. */
  node?: string;
}

/** Pairs each invoke with the next completion of the same process (a process runs one op at a time). */
export function completions(ops: readonly OpEvent[]): CompletedOp[] {
  const open = new Map<string, CompletedOp>();
  const done: CompletedOp[] = [];
  for (const op of ops) {
    if (op.type === 'invoke') {
      const pending = open.get(op.process);
      if (pending) done.push(pending);
      const started: CompletedOp = { process: op.process, f: op.f, value: op.value, invokedAt: op.at, type: 'pending' };
      open.set(op.process, started);
      continue;
    }
    const started = open.get(op.process);
    if (!started) throw new Error(`history: ${op.process} completed ${op.f} at ${op.at} without an invoke`);
    open.delete(op.process);
    done.push({ ...started, completedAt: op.at, type: op.type, error: op.error, value: op.value ?? started.value, ...(op.node && { node: op.node }) });
  }
  done.push(...open.values());
  return done.sort((a, b) => a.invokedAt - b.invokedAt);
}

/** A stretch of time in which a node's state stayed as observed. `until` is undefined for the last one. */
export interface StateInterval {
  node: string;
  from: number;
  until: number;
  state: NodeState | 'unknown';
  source: string;
}

/**
 * Each node's observations as back-to-back intervals from `from` to `until`. Before a node's first
 * observation its state is unknown: nothing was seen.
 */
export function stateIntervals(history: History, from: number, until: number): StateInterval[] {
  const intervals: StateInterval[] = [];
  for (const node of history.nodes()) {
    let current: StateInterval = { node, from, until, state: 'unknown', source: 'not yet observed' };
    for (const event of history.observations(node)) {
      if (event.at >= until) break;
      if (event.at <= from) {
        current = { node, from, until, state: event.state, source: event.source };
        continue;
      }
      intervals.push({ ...current, until: event.at });
      current = { node, from: event.at, until, state: event.state, source: event.source };
    }
    intervals.push(current);
  }
  return intervals.filter((i) => i.until > i.from);
}

/** Fault windows: each fault's start invoke to its stop completion (or `until` when it never stopped). */
export interface FaultWindow {
  fault: string;
  target: unknown;
  from: number;
  until: number;
  healed: boolean;
}

export function faultWindows(history: History, until: number): FaultWindow[] {
  const windows: FaultWindow[] = [];
  const open = new Map<string, FaultWindow>();
  for (const op of history.ops({ process: 'nemesis' })) {
    if (op.phase === 'start' && op.type === 'invoke') {
      open.set(op.f, { fault: op.f, target: op.value, from: op.at, until, healed: false });
    } else if (op.phase === 'stop' && op.type !== 'invoke') {
      const window = open.get(op.f);
      if (!window) continue;
      open.delete(op.f);
      windows.push({ ...window, until: op.at, healed: op.type === 'ok' });
    }
  }
  windows.push(...open.values());
  return windows.sort((a, b) => a.from - b.from);
}

/** A resource passing from one node to another: released at one instant, acquired at the next. */
export interface Handover {
  resource: Resource;
  from: string;
  to: string;
  releasedAt: number;
  acquiredAt: number;
  /** Acquired − released: how long nobody held it (negative: both did). */
  gapMs: number;
}

/**
 * Every change of holder of `resource`: consecutive stretches in which a node was seen holding
 * it, on different nodes. Unknown stretches hold nothing here; the exclusive checker judges them.
 */
export function handovers(history: History, resource: Resource, from: number, until: number): Handover[] {
  const held: { node: string; from: number; until: number }[] = [];
  for (const interval of stateIntervals(history, from, until)) {
    if (interval.state === 'unknown' || !interval.state[resource]) continue;
    const last = held.findLast((h) => h.node === interval.node);
    if (last && last.until === interval.from) last.until = interval.until;
    else held.push({ node: interval.node, from: interval.from, until: interval.until });
  }
  held.sort((a, b) => a.from - b.from);
  const result: Handover[] = [];
  for (let i = 1; i < held.length; i++) {
    const previous = held[i - 1];
    const next = held[i];
    if (previous.node === next.node) continue;
    result.push({ resource, from: previous.node, to: next.node, releasedAt: previous.until, acquiredAt: next.from, gapMs: next.from - previous.until });
  }
  return result;
}
