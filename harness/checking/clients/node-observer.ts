import { LabNode, type NodeAccess } from '../../cluster/node/node.js';
import type { ResolvedTopology } from '../../config/topology.js';
import { sleep, withTimeout } from '../../support/time.js';
import { parseSamplerLine, samplerScript } from '../../cluster/heartbeat/holdings.js';
import { ObservationLog } from './observation-log.js';
import type { History } from '../history/history.js';

export interface ObserverOptions {
  intervalMs: number;
  /** No line from the node for this long: from its last line on, the node is unknown. */
  staleMs: number;
  maxSeconds: number;
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

  markPoweredOn(at: number): void {
    this.log.poweredOnAt(at);
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
