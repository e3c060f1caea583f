import type { Holdings, SamplerLine } from '../../cluster/heartbeat/holdings.js';
import { bootingSource, BY_THE_HARNESS, POWERED_OFF, SAMPLER, type History } from '../history/history.js';

/**
 * Turns one node's sampler lines into history events on the harness's clock. A silence longer
 * than `staleMs` (a frozen or overloaded node) or a lost connection makes the node `unknown` from
 * its last line on, never "holds nothing"; a node the harness powered off is known to hold nothing
 * until it powers it on again.
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
      this.history.append({ kind: 'observe', at, node: this.node, state, source: SAMPLER });
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
    this.history.append({ kind: 'observe', at, node: this.node, state: { ...POWERED_OFF }, source: 'powered off by the harness' });
  }

  /**
   * The harness turned the node's power on: from `at` it boots, unseen until its sampler's first
   * line (what it starts meanwhile is its own doing; only its logs can say).
   */
  poweredOnAt(at: number): void {
    this.poweredOff = false;
    this.markUnknown(at, bootingSource(BY_THE_HARNESS));
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

