import { completions, faultWindows, type CompletedOp, type History } from '../history/history.js';
import { checker, type Checker } from './checker.js';

export interface Availability {
  /** Fault start → first acknowledged write after the writes started failing; 0 when they never failed; undefined when they never recovered. */
  rtoSeconds?: number;
  /** Longest stretch between two acknowledged writes (invocation times), anywhere in the history. */
  longestOutageSeconds: number;
  /** Longest stretch between acknowledged writes from the fault's stop on (the failback). */
  outageAfterHealSeconds: number;
}

const acknowledged = (writes: readonly CompletedOp[]) => writes.filter((w) => w.type === 'ok').map((w) => w.invokedAt);

function longestGap(times: readonly number[]): number {
  let longest = 0;
  for (let i = 1; i < times.length; i++) longest = Math.max(longest, times[i] - times[i - 1]);
  return longest / 1000;
}

/** RTO and outages from the ledger writes and the first fault window, on the harness's clock. */
export function availability(history: History): Availability {
  const writes = completions(history.ops({ f: 'write' }));
  const window = faultWindows(history, Infinity)[0];
  const okTimes = acknowledged(writes);
  let rtoSeconds: number | undefined = 0;
  if (window) {
    const firstBad = writes.find((w) => w.invokedAt >= window.from && w.type !== 'ok');
    if (firstBad) {
      const firstOk = writes.find((w) => w.invokedAt > firstBad.invokedAt && w.type === 'ok');
      rtoSeconds = firstOk ? (firstOk.invokedAt - window.from) / 1000 : undefined;
    }
  }
  // From the last acknowledged write before the heal, so a gap that spans it counts.
  const healAt = window && Number.isFinite(window.until) ? window.until : undefined;
  const afterHeal = healAt === undefined ? [] : okTimes.filter((t, i) => t >= healAt || okTimes[i + 1] >= healAt);
  return { rtoSeconds, longestOutageSeconds: longestGap(okTimes), outageAfterHealSeconds: longestGap(afterHeal) };
}

/**
 * The service comes back: the last write of the history is acknowledged. The figures are
 * measurements for the report; only a service that never returned is a verdict.
 */
export function availabilityChecker(): Checker {
  return checker('availability', (history) => {
    const figures = availability(history);
    const writes = completions(history.ops({ f: 'write' })).filter((w) => w.type !== 'pending');
    if (!writes.length) return { valid: 'unknown', findings: [{ id: 'NO-WRITES', message: 'no write was attempted' }], evidence: { ...figures } };
    const last = writes[writes.length - 1];
    const back = last.type === 'ok';
    return {
      valid: back,
      findings: back ? [] : [{ id: 'SERVICE-LOST', message: `the last write (${new Date(last.invokedAt).toISOString()}) was not acknowledged: ${last.error ?? last.type}` }],
      evidence: { ...figures },
    };
  });
}
