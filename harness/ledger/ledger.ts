/**
 * The write ledger: what a client attempted through the VIP, how each attempt ended, and what
 * the database holds afterwards. A write counts as acknowledged only when the server said so.
 */
export type Outcome = 'acknowledged' | 'failed' | 'unknown';

export interface Attempt {
  id: number;
  /** Epoch ms when the write was sent. */
  at: number;
  outcome: Outcome;
  error?: string;
}

export interface LedgerVerdict {
  attempted: number;
  acknowledged: number;
  failed: number;
  unknown: number;
  /** Acknowledged but missing: data loss. Must be empty. */
  lost: number[];
  /** Present but never attempted, or present although the client knows it was never sent. Must be empty. */
  unexpected: number[];
  /** Unknown outcome (connection lost mid-write) that did survive. */
  recovered: number[];
  ok: boolean;
}

export function checkLedger(attempts: readonly Attempt[], survivors: Iterable<number>): LedgerVerdict {
  const present = new Set(survivors);
  const byId = new Map(attempts.map((a) => [a.id, a]));
  const lost = attempts.filter((a) => a.outcome === 'acknowledged' && !present.has(a.id)).map((a) => a.id);
  const unexpected = [...present].filter((id) => !byId.has(id) || byId.get(id)!.outcome === 'failed').sort((a, b) => a - b);
  const recovered = attempts.filter((a) => a.outcome === 'unknown' && present.has(a.id)).map((a) => a.id);
  const count = (outcome: Outcome) => attempts.filter((a) => a.outcome === outcome).length;
  return {
    attempted: attempts.length,
    acknowledged: count('acknowledged'),
    failed: count('failed'),
    unknown: count('unknown'),
    lost,
    unexpected,
    recovered,
    ok: lost.length === 0 && unexpected.length === 0,
  };
}

/**
 * Errors raised before the statement could reach a server: the write certainly did not happen.
 * Anything else (connection lost mid-query, timeouts) leaves the outcome unknown.
 */
const NOT_SENT = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT_CONNECT', 'ER_CON_COUNT_ERROR', 'ER_SERVER_SHUTDOWN_BEFORE_SEND']);

export function classifyError(code: string | undefined, phase: 'connect' | 'query'): Outcome {
  if (phase === 'connect') return 'failed';
  return code && NOT_SENT.has(code) ? 'failed' : 'unknown';
}

/** RTO and outage figures from the attempts around a fault at `faultAt` (epoch ms). */
export function serviceGaps(attempts: readonly Attempt[], faultAt: number): { rtoSeconds?: number; outageSeconds: number } {
  const sorted = [...attempts].sort((a, b) => a.at - b.at);
  // The fault takes effect when writes start failing; the service is back at the first write
  // acknowledged after that. No failure after the fault: the service never went away.
  const firstBadAfter = sorted.find((a) => a.at >= faultAt && a.outcome !== 'acknowledged');
  const firstOkAfter = firstBadAfter ? sorted.find((a) => a.at > firstBadAfter.at && a.outcome === 'acknowledged') : undefined;
  // Longest run without an acknowledged write, measured between acknowledged writes.
  let outage = 0;
  let lastOk: number | undefined;
  for (const a of sorted) {
    if (a.outcome !== 'acknowledged') continue;
    if (lastOk !== undefined) outage = Math.max(outage, a.at - lastOk);
    lastOk = a.at;
  }
  return {
    rtoSeconds: !firstBadAfter ? 0 : firstOkAfter ? (firstOkAfter.at - faultAt) / 1000 : undefined,
    outageSeconds: outage / 1000,
  };
}
