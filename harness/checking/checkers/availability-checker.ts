import { describeBreakdown, resourceStarts, rtoBreakdown } from '../history/ha-log.js';
import { completions, faultWindows, type CompletedOp, type History } from '../history/history.js';
import { checker, type Checker, type CheckResult } from './checker.js';

export interface Availability {
  /** Fault start → first acknowledged write after the writes started failing; 0 when they never failed; undefined when they never recovered. */
  rtoSeconds?: number;
  /** Longest stretch between two acknowledged writes (invocation times), anywhere in the history, or from the last one to the last write tried when the service did not come back. */
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
      // Invoked after the failure came back: with concurrent writers, a write already in flight
      // that was acknowledged just before the cut is not the service coming back (D1, 2026-11-27: "RTO 5 s").
      const failedAt = firstBad.completedAt ?? firstBad.invokedAt;
      const firstOk = writes.find((w) => w.invokedAt > failedAt && w.type === 'ok');
      rtoSeconds = firstOk ? (firstOk.invokedAt - window.from) / 1000 : undefined;
    }
  }
  // From the last acknowledged write before the heal, so a gap that spans it counts.
  const healAt = window && Number.isFinite(window.until) ? window.until : undefined;
  const afterHeal = healAt === undefined ? [] : okTimes.filter((t, i) => t >= healAt || okTimes[i + 1] >= healAt);
  // A service that never came back is an outage to the end: the last write tried, after the last acknowledged one.
  const last = writes.filter((w) => w.type !== 'pending').at(-1);
  const openOutage = last && last.type !== 'ok' && okTimes.length ? Math.max(0, (last.completedAt ?? last.invokedAt) - okTimes[okTimes.length - 1]) / 1000 : 0;
  return { rtoSeconds, longestOutageSeconds: Math.max(longestGap(okTimes), openOutage), outageAfterHealSeconds: longestGap(afterHeal) };
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

const RTO_FLOOR_CHECKER = 'availability: RTO within the floor the configuration implies';

/** The RTO breakdown a composed verdict carries (the rtoFloorChecker's evidence), for the sign-off table. */
export function rtoBreakdownOf(verdict: CheckResult): string | undefined {
  const part = verdict.checker === RTO_FLOOR_CHECKER ? verdict : verdict.results?.find((r) => r.checker === RTO_FLOOR_CHECKER);
  const breakdown = (part?.evidence as { breakdown?: unknown } | undefined)?.breakdown;
  return typeof breakdown === 'string' ? breakdown : undefined;
}

/** How far over the floor an RTO may be before it is a finding: the clients' retries and the log stamps' whole seconds are noise. */
export const RTO_MARGIN_SECONDS = 30;

/** What the RTO checker needs to know of the scenario: whether a takeover must be in heartbeat's log. */
export interface RtoExpectation {
  deadtimeSeconds: number;
  /** A failover is part of the scenario's path: a takeover heartbeat did not log is then UNKNOWN, not "nothing to judge". */
  failoverExpected?: boolean;
  marginSeconds?: number;
}

/**
 * The RTO against the floor the configuration implies (deadtime + the resource scripts' measured
 * times, from heartbeat's log on the node that took over): more than `marginSeconds` over it is
 * RTO-OVER-FLOOR, with the breakdown saying where the time went and its seconds over the floor for
 * an acceptance's bound. A failover whose milestones the log did not show cannot be judged
 * (UNKNOWN); nor can an expected failover that no log shows, or a log that was not read. Where no
 * failover is expected and none was logged, there is nothing to judge.
 */
export function rtoFloorChecker(expectation: RtoExpectation): Checker {
  const { deadtimeSeconds, failoverExpected = false, marginSeconds = RTO_MARGIN_SECONDS } = expectation;
  return checker(RTO_FLOOR_CHECKER, (history) => {
    const { rtoSeconds } = availability(history);
    const breakdown = rtoBreakdown(history, rtoSeconds, deadtimeSeconds);
    if (!breakdown) {
      if (!failoverExpected || !rtoSeconds) return { valid: true, findings: [], evidence: { takeover: 'none in heartbeat\'s log after the fault' } };
      const unread = history.nodes().filter((node) => resourceStarts(history, node) === undefined);
      return {
        valid: 'unknown',
        findings: [unread.length
          ? { id: 'HA-LOG-UNREAD', message: `a failover was expected and heartbeat's log of ${unread.join(', ')} was not read: the takeover cannot be judged`, seconds: rtoSeconds }
          : { id: 'TAKEOVER-UNLOGGED', message: `a failover was expected (RTO ${rtoSeconds.toFixed(0)} s) and no node's ha-log shows a takeover after the fault`, seconds: rtoSeconds }],
        evidence: { unread },
      };
    }
    const line = describeBreakdown(breakdown);
    if (breakdown.floorSeconds === undefined) {
      return { valid: 'unknown', findings: [{ id: 'RTO-FLOOR-UNSEEN', message: `heartbeat's log did not show every step of the takeover: ${line}`, seconds: breakdown.rtoSeconds }], evidence: { breakdown: line } };
    }
    const over = breakdown.rtoSeconds - breakdown.floorSeconds;
    return {
      valid: over <= marginSeconds,
      findings: over > marginSeconds ? [{ id: 'RTO-OVER-FLOOR', message: `RTO ${over.toFixed(0)} s over the floor (deadtime ${deadtimeSeconds} s + the resource scripts), more than ${marginSeconds} s: ${line}`, seconds: over }] : [],
      evidence: { breakdown: line, overSeconds: over },
    };
  });
}
