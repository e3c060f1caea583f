import { completions, type History } from '../history/history.js';
import { checker, type Checker, type Finding } from './checker.js';

/** The process that reads the ledger back after the heal. */
export const FINAL_READ = 'final-read';
/** A writer's read of the row it just committed, on the same connection. */
export const READ_OWN = 'read-own';

export interface LedgerCounts {
  attempted: number;
  acknowledged: number;
  failed: number;
  /** Outcome unknown: the connection died mid-write, or the writer stopped before the answer. */
  unknown: number;
  /** Acknowledged but missing from the final read: data loss (empty without a final read: then nothing is known). */
  lost: number[];
  /** In the final read but never attempted, or attempted and known to have failed. */
  unexpected: number[];
  /** Unknown outcome that did survive. */
  recovered: number[];
  /** The lost writes by the node that acknowledged them (`unknown node` when the client did not learn it). */
  lostByNode: Record<string, number[]>;
}

/**
 * Jepsen's set checker over the write ledger: lost = acknowledged − final read; unexpected =
 * final read − attempted (or known failed); recovered = unknown ∩ final read. Without a final
 * read nothing can be said: unknown.
 */
export function countLedger(history: History): { counts: LedgerCounts; finalRead?: number[] } {
  const writes = completions(history.ops({ f: 'write' }));
  const reads = history.ops({ process: FINAL_READ, f: 'read', type: 'ok' });
  const finalRead = reads.at(-1)?.value as number[] | undefined;
  const present = new Set(finalRead ?? []);
  // Without a final read nothing is missing, nothing is known: the checker says UNKNOWN, not "all lost".
  const missing = (w: { type: string; value?: unknown }) => finalRead !== undefined && w.type === 'ok' && !present.has(w.value as number);
  const byId = new Map(writes.map((w) => [w.value as number, w]));
  const unknownOutcome = (type: string) => type === 'info' || type === 'pending';
  const counts: LedgerCounts = {
    attempted: writes.length,
    acknowledged: writes.filter((w) => w.type === 'ok').length,
    failed: writes.filter((w) => w.type === 'fail').length,
    unknown: writes.filter((w) => unknownOutcome(w.type)).length,
    lost: writes.filter(missing).map((w) => w.value as number),
    unexpected: [...present].filter((id) => !byId.has(id) || byId.get(id)!.type === 'fail').sort((a, b) => a - b),
    recovered: writes.filter((w) => unknownOutcome(w.type) && present.has(w.value as number)).map((w) => w.value as number),
    lostByNode: {},
  };
  for (const w of writes) {
    if (!missing(w)) continue;
    (counts.lostByNode[w.node ?? 'unknown node'] ??= []).push(w.value as number);
  }
  return { counts, finalRead };
}

export function ledgerChecker(): Checker {
  return checker('ledger', (history) => {
    const { counts, finalRead } = countLedger(history);
    if (!finalRead) {
      return { valid: 'unknown', findings: [{ id: 'LEDGER-UNREAD', message: 'no final read of the ledger: lost writes cannot be ruled out' }], evidence: { ...counts } };
    }
    const findings: Finding[] = [];
    if (counts.lost.length) {
      const where = Object.entries(counts.lostByNode).sort(([a], [b]) => a.localeCompare(b)).map(([node, ids]) => `${ids.length} acknowledged by ${node}`).join(', ');
      findings.push({ id: 'LEDGER-LOST', message: `${counts.lost.length} acknowledged write(s) missing after the heal (${where})`, evidence: counts.lostByNode });
    }
    if (counts.unexpected.length) {
      findings.push({ id: 'LEDGER-UNEXPECTED', message: `${counts.unexpected.length} row(s) present that were never written or were refused`, evidence: counts.unexpected });
    }
    // A loss or an invented row is invalid whatever else; with nothing acknowledged there is nothing to lose.
    const valid = findings.length ? false : counts.acknowledged ? true : 'unknown';
    if (counts.acknowledged === 0) findings.push({ id: 'LEDGER-EMPTY', message: 'no write was acknowledged: the ledger proves nothing' });
    return { valid, findings, evidence: { ...counts } };
  });
}

/**
 * Read-your-writes: every row a writer's commit acknowledged is there when the same writer reads
 * it right after, on the same connection (the same server). A missing row is a server that
 * acknowledged what it does not have; without any such read nothing can be said.
 */
export function readYourWritesChecker(): Checker {
  return checker('ledger: read-your-writes', (history) => {
    const reads = history.ops({ f: READ_OWN, type: 'ok' }).map((op) => ({ ...(op.value as { id: number; present: boolean }), node: op.node }));
    const missing = reads.filter((r) => !r.present);
    if (!reads.length) return { valid: 'unknown', findings: [{ id: 'RYW-UNREAD', message: 'no write was read back by its writer' }], evidence: { reads: 0 } };
    const findings = missing.length
      ? [{ id: 'RYW-MISSING', message: `${missing.length} acknowledged write(s) missing when their writer read them back at once (${[...new Set(missing.map((m) => m.node ?? 'unknown node'))].join(', ')})`, evidence: missing.map((m) => m.id) }]
      : [];
    return { valid: !missing.length, findings, evidence: { reads: reads.length, missing: missing.length } };
  });
}

export interface DurabilityAtCut {
  cutAt: number;
  /** Writes acknowledged in the last second before the cut. */
  acknowledged: number;
  /** Of those, the ones the final read found. */
  survived: number;
  lost: number[];
}

/**
 * What a power cut did to the writes acknowledged just before it: those whose acknowledgement
 * came in the last `windowMs` before the note `cutNote` (the moment of the cut), and how many of
 * them the final read found. Undefined without the note or without a final read.
 */
export function durabilityAtCut(history: History, cutNote: string, windowMs = 1000): DurabilityAtCut | undefined {
  const cut = history.events().find((e) => e.kind === 'note' && e.text.startsWith(cutNote));
  const { finalRead } = countLedger(history);
  if (!cut || !finalRead) return undefined;
  const present = new Set(finalRead);
  const acked = history.ops({ f: 'write', type: 'ok' }).filter((op) => op.at >= cut.at - windowMs && op.at <= cut.at).map((op) => op.value as number);
  const lost = acked.filter((id) => !present.has(id));
  return { cutAt: cut.at, acknowledged: acked.length, survived: acked.length - lost.length, lost };
}
