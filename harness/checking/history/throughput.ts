import { faultWindows, type History } from './history.js';

export interface Throughput {
  /** Acknowledged writes per second through the VIP before the first fault (the steady state). */
  steady?: number;
  /** Acknowledged writes per second while a fault held (its window), all windows together. */
  faulted?: number;
  /** Acknowledged writes in each whole second since the history's start, for the picture. */
  perSecond: number[];
}

const rate = (count: number, ms: number) => (ms > 0 ? Math.round((count / (ms / 1000)) * 10) / 10 : undefined);

/** What the ledger writers achieved through the VIP: in steady state, under the fault, second by second. */
export function throughput(history: History): Throughput {
  const events = history.events();
  const start = events[0]?.at ?? 0;
  const end = events.at(-1)?.at ?? start;
  const acks = history.ops({ f: 'write', type: 'ok' }).map((op) => op.at);
  const perSecond = Array.from({ length: Math.max(0, Math.ceil((end - start) / 1000)) }, () => 0);
  for (const at of acks) perSecond[Math.min(perSecond.length - 1, Math.floor((at - start) / 1000))]++;
  const faultAt = history.ops({ process: 'nemesis', type: 'invoke' })[0]?.at;
  const firstAck = acks[0];
  const steadyUntil = faultAt ?? end;
  const steady = firstAck === undefined ? undefined : rate(acks.filter((at) => at < steadyUntil).length, steadyUntil - firstAck);
  const windows = faultWindows(history, end);
  const faultedMs = windows.reduce((sum, w) => sum + (w.until - w.from), 0);
  const faulted = windows.length ? rate(acks.filter((at) => windows.some((w) => at >= w.from && at < w.until)).length, faultedMs) ?? 0 : undefined;
  return { steady, faulted, perSecond };
}
