import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { log } from '../../support/log.js';

export interface Span {
  seconds: number;
  /** Epoch milliseconds, for the report's timeline; absent for figures measured elsewhere. */
  start?: number;
  stop?: number;
  failed?: string;
}

/** Seconds of each lab phase, written to reports/timings.json and printed as a summary. */
export class Timings {
  readonly spans: Record<string, Span> = {};
  readonly facts: Record<string, string> = {};
  /** Each scenario's start: seconds, and whether it reverted to the snapshot or set the state up. */
  readonly resets: Record<string, { seconds: number; fromSnapshot: boolean }> = {};

  /** The resets the scenarios recorded in metrics.json (`<scenario>.reset`). */
  recordResets(metrics: Record<string, Record<string, Record<string, number>>>): void {
    for (const [scenario, figures] of Object.entries(metrics)) {
      if (figures.reset) this.resets[scenario] = { seconds: figures.reset.seconds, fromSnapshot: figures.reset.fromSnapshot === 1 };
    }
  }

  async measure<T>(phase: string, work: () => Promise<T>): Promise<T> {
    const start = Date.now();
    const span: Span = { seconds: 0, start };
    this.spans[phase] = span;
    try {
      return await work();
    } catch (error) {
      span.failed = (error as Error).message.split('\n')[0];
      throw error;
    } finally {
      span.stop = Date.now();
      span.seconds = Math.round((span.stop - start) / 100) / 10;
      log('time', `${phase}: ${span.seconds} s`);
    }
  }

  record(phase: string, seconds: number | undefined): void {
    if (seconds !== undefined) this.spans[phase] = { seconds: Math.round(seconds * 10) / 10 };
  }

  write(file: string): void {
    mkdirSync(dirname(file), { recursive: true });
    const phases = Object.fromEntries(Object.entries(this.spans).map(([phase, span]) => [phase, span.seconds]));
    const resets = Object.keys(this.resets).length ? { resets: this.resets } : {};
    writeFileSync(file, `${JSON.stringify({ phases, ...resets, facts: this.facts }, null, 2)}\n`);
  }

  summary(): string {
    const resets = Object.entries(this.resets).map(([scenario, r]) => [`reset: ${scenario}`, r.seconds, r.fromSnapshot ? 'from the snapshot' : 'steady state set up'] as const);
    const width = Math.max(...Object.keys(this.spans).map((k) => k.length), ...resets.map(([label]) => label.length), 5);
    return [
      ...Object.entries(this.spans).map(([phase, span]) => `  ${phase.padEnd(width)}  ${span.seconds.toFixed(1).padStart(7)} s${span.failed ? '  FAILED' : ''}`),
      ...resets.map(([label, seconds, how]) => `  ${label.padEnd(width)}  ${seconds.toFixed(1).padStart(7)} s  ${how}`),
    ].join('\n');
  }
}
