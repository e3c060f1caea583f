import type mysql from 'mysql2/promise';
import { compareEvidence, type TableEvidence } from '../../cluster/mysql/evidence.js';
import { readEvidence } from '../../cluster/mysql/vip.js';
import type { Reporter } from '../../support/reporter.js';
import { waitFor } from '../../support/wait.js';
import { LEDGER_TABLE } from '../clients/ledger-writer.js';
import type { CheckResult } from './checker.js';

/** The WordPress tables read through the VIP against the evidence taken before the conversion: the differences, the read attached. */
export async function blogDifferences(pool: mysql.Pool, database: string, before: readonly TableEvidence[], where: string, report: Reporter): Promise<string[]> {
  const now = (await readEvidence(pool, database)).filter((e) => e.table !== LEDGER_TABLE);
  await report.attach(`evidence through the VIP (${where})`, now.map((e) => `${e.table}\t${e.rows}\t${e.checksum}`).join('\n'), 'text/tab-separated-values');
  return compareEvidence([...before], now);
}

/**
 * The blog after a scenario, as a data-safety check for the sign-off: BLOG-CHANGED (UNSAFE)
 * when a table differs from the evidence before the conversion, BLOG-UNREAD (UNKNOWN) when the
 * VIP does not answer MySQL for `seconds`.
 */
export async function blogCheck(read: () => Promise<string[]>, where: string, seconds = 90): Promise<CheckResult> {
  const checker = `data safety: WordPress tables through the VIP ${where}`;
  let differences: string[];
  try {
    differences = await waitFor(`the VIP answers MySQL ${where}`, read, { timeoutSeconds: seconds, intervalSeconds: 3 });
  } catch (error) {
    return { checker, valid: 'unknown', evidence: {}, findings: [{ id: 'BLOG-UNREAD', message: `the WordPress tables could not be read through the VIP ${where}: ${(error as Error).message.split('\n')[0]}` }] };
  }
  const findings = differences.length ? [{ id: 'BLOG-CHANGED', message: `WordPress tables ${where} differ from the evidence before conversion`, evidence: differences }] : [];
  return { checker, valid: !differences.length, evidence: { differences }, findings };
}
