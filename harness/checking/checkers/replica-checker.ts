import type { CheckResult } from './checker.js';

/** What an online verify of the two disks gave, or why it could not run. */
export type ReplicaComparison = { outOfSyncBlocks: number; ranges: readonly string[]; done: boolean; seconds: number } | { error: string };

const CHECKER = 'data safety: both disks block for block the same (DRBD online verify)';

/**
 * The two disks compared block for block at the end (DRBD's online verify): a block that differs
 * is data the next failover would serve differently, which no client read shows until then
 * (e.g. a disk's lost cache that neither DRBD's activity log nor its bitmap covered).
 */
export function replicaCheck(comparison: ReplicaComparison, where: string): CheckResult {
  if ('error' in comparison || !comparison.done) {
    const why = 'error' in comparison ? comparison.error : 'the verify did not report its end';
    return { checker: CHECKER, valid: 'unknown', evidence: {}, findings: [{ id: 'REPLICA-UNVERIFIED', message: `the disks could not be compared ${where}: ${why}` }] };
  }
  const { outOfSyncBlocks, ranges, seconds } = comparison;
  const findings = outOfSyncBlocks > 0 || ranges.length > 0
    ? [{ id: 'REPLICA-DIVERGED', message: `${outOfSyncBlocks} 4 KiB block(s) differ between the disks ${where}, though DRBD called them UpToDate/UpToDate`, evidence: ranges }]
    : [];
  return { checker: CHECKER, valid: !findings.length, evidence: { outOfSyncBlocks, ranges: ranges.length, seconds }, findings };
}
