import { LabNode, type NodeAccess } from '../../cluster/node/node.js';
import type { ResolvedTopology } from '../../cluster/topology/topology.js';
import { sleep, withTimeout } from '../../support/time.js';
import { parseSamplerLine, samplerScript, type Holdings, type SamplerLine } from '../../cluster/heartbeat/holdings.js';
import type { History } from '../history/history.js';

export interface ObserverOptions {
  intervalMs: number;
  /** No line from the node for this long: from its last line on, the node is unknown. */
  staleMs: number;
  maxSeconds: number;
}

/**
 * Turns one node's sampler lines into history events on the harness's clock. A silence longer
 * than `staleMs` (a frozen or overloaded node) or a lost connection makes the node `unknown` from
 * its last line on, never "holds nothing"; a node the harness powered off is known to hold nothing.
 */
export class ObservationLog {
  private lastLineAt?: number;
  private lastState?: Holdings;
  /** The history's last word on this node is `unknown` (true before the first line). */
  private unknown = true;
  private poweredOff = false;
  private readonly intervals: number[] = [];

  constructor(private readonly history: History, readonly node: string, private readonly staleMs: number) {}

  ingest(line: SamplerLine, offsetMs: number): void {
    const at = line.nodeMs - offsetMs;
    const previous = this.lastLineAt;
    if (previous !== undefined && line.samples > 0) this.intervals.push((at - previous) / line.samples);
    this.lastLineAt = at;
    if (previous !== undefined && at - previous > this.staleMs && !this.unknown && !this.poweredOff) {
      this.markUnknown(previous, `node sampler silent for ${at - previous} ms`);
    }
    const state = line.state ?? this.lastState;
    if (!state) return;
    if (line.kind === 'state' || this.unknown) {
      this.history.append({ kind: 'observe', at, node: this.node, state, source: 'node sampler' });
      this.unknown = false;
      this.poweredOff = false;
    }
    this.lastState = state;
  }

  /** The connection dropped: unseen from the last line on, unless the harness knows the node is off. */
  lostContact(): void {
    if (this.poweredOff || this.unknown || this.lastLineAt === undefined) return;
    this.markUnknown(this.lastLineAt, 'connection to the node lost');
  }

  /** The harness cut the node's power: from `at` on it holds nothing, known without asking it. */
  poweredOffAt(at: number): void {
    this.poweredOff = true;
    this.unknown = false;
    this.history.append({ kind: 'observe', at, node: this.node, state: { vip: false, drbdPrimary: false, mounted: false, mysqld: false, drbd: 'powered off' }, source: 'powered off by the harness' });
  }

  private markUnknown(at: number, why: string): void {
    this.history.append({ kind: 'observe', at, node: this.node, state: 'unknown', source: why });
    this.unknown = true;
  }

  /** Sampling intervals seen (ms): the resolution of every exclusivity verdict. */
  resolution(): { medianMs: number; maxMs: number } {
    const sorted = this.intervals.filter((ms) => ms > 0).sort((a, b) => a - b);
    return { medianMs: Math.round(sorted[Math.floor(sorted.length / 2)] ?? 0), maxMs: Math.round(sorted.at(-1) ?? 0) };
  }
}

/**
 * Watches one node through its own SSH connection (reconnecting while the scenario runs) and
 * writes what it held into the history, the node's clock offset measured at each connection.
 */
export class NodeObserver {
  private stopping = false;
  private connection?: LabNode;
  private running?: Promise<void>;
  private offsetMs = 0;
  private readonly log: ObservationLog;

  constructor(
    private readonly history: History,
    private readonly node: NodeAccess,
    private readonly t: ResolvedTopology,
    private readonly options: ObserverOptions = { intervalMs: 100, staleMs: 2000, maxSeconds: 1800 },
  ) {
    this.log = new ObservationLog(history, node.name, options.staleMs);
  }

  get name(): string {
    return this.node.name;
  }

  /** Resolves once the first state line arrived, so the history starts with a seen node. */
  async start(): Promise<void> {
    const deadline = Date.now() + this.options.maxSeconds * 1000;
    let firstLine!: () => void;
    const seen = new Promise<void>((resolve) => (firstLine = resolve));
    this.running = (async () => {
      while (!this.stopping && Date.now() < deadline) {
        try {
          await this.watch(deadline, firstLine);
        } catch {
          // Connection refused or lost: the node is down or busy; try again.
        }
        this.connection?.dispose();
        this.connection = undefined;
        if (this.stopping) break;
        this.log.lostContact();
        await sleep(2000);
      }
    })();
    await withTimeout(seen, 60_000, `${this.name}: the node sampler's first line`);
  }

  private async watch(deadline: number, firstLine: () => void): Promise<void> {
    this.connection = await LabNode.connect(this.node, 20);
    if (this.stopping) return;
    const clock = await this.connection.clockOffset();
    this.offsetMs = clock.offsetMs;
    this.history.append({ kind: 'clock', node: this.name, ...clock });
    const seconds = Math.max(1, Math.ceil((deadline - Date.now()) / 1000));
    await this.connection.stream(samplerScript(this.t, this.options.intervalMs, seconds), (text) => {
      const line = parseSamplerLine(text);
      if (!line) return;
      this.log.ingest(line, this.offsetMs);
      if (line.kind === 'state') firstLine();
    });
  }

  markPoweredOff(at: number): void {
    this.log.poweredOffAt(at);
  }

  resolution(): { medianMs: number; maxMs: number } {
    return this.log.resolution();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.connection?.dispose();
    await this.running;
  }
}
