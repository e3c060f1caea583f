import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Judgement, PropertyVerdict } from './acceptance.js';
import { PROPERTIES } from './acceptance.js';

/** What each scenario leaves in reports/scenarios/<dir>/signoff.json for the sign-off table. */
export interface SignoffRow {
  id: string;
  name: string;
  profile: string;
  verdicts: PropertyVerdict[];
  figures: {
    /** Absent when the ledger could not be read back. */ writesLost?: number; writesAcknowledged: number; rtoSeconds?: number; longestOutageSeconds: number; splitBrain: boolean;
    /** Where a failover's RTO went, from heartbeat's log (describeBreakdown); absent without a takeover. */ rtoBreakdown?: string;
    /** The scenario's stated outage budget (rows written before paths were stated have none). */ outageBudgetSeconds?: number;
  };
  /** The path the scenario stated (describePath). */
  path?: string;
  /** `configuration`: V0's row, whose findings are the configuration's deviations, not a scenario's figures. */
  kind?: 'configuration' | 'watch';
  judgement: Pick<Judgement, 'failures'> & { reproduced: string[]; stale: string[] };
  timeline: string;
  startedFrom: string;
  error?: string;
}

export function readSignoffRows(scenariosDir: string): SignoffRow[] {
  if (!existsSync(scenariosDir)) return [];
  return readdirSync(scenariosDir)
    .map((dir) => join(scenariosDir, dir, 'signoff.json'))
    .filter(existsSync)
    .map((file) => JSON.parse(readFileSync(file, 'utf8')) as SignoffRow)
    .sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
}

/** A cell: the verdict, ACCEPTED where the operator accepted every finding behind it, and the key figure. */
export function cell(row: SignoffRow, property: (typeof PROPERTIES)[number]): string {
  const v = row.verdicts.find((p) => p.property === property);
  if (!v) return '—';
  const accepted = v.verdict !== 'SAFE' && v.findings.every((f) => row.judgement.reproduced.includes(f.id));
  const figure = row.kind ? v.findings.map((f) => f.id).join(' ') || (row.kind === 'configuration' ? "as the guide's requirements" : 'nothing found')
    : property === 'data safety' ? `${row.figures.writesLost === undefined ? 'ledger unread' : `${row.figures.writesLost} lost`}${row.figures.splitBrain ? ', split brain' : ''}`
    : property === 'availability' ? `RTO ${row.figures.rtoSeconds === undefined ? 'none' : `${row.figures.rtoSeconds.toFixed(0)} s`}, longest gap ${row.figures.longestOutageSeconds.toFixed(0)} s${row.figures.outageBudgetSeconds === undefined ? '' : ` of ${row.figures.outageBudgetSeconds} s budget`}`
      : v.findings.map((f) => f.id).join(' ') || 'one holder';
  return `${v.verdict}${accepted ? ' (accepted)' : ''}: ${figure}`;
}

/** The sign-off table as Markdown: scenario × property, the run's outcome, stale findings. */
/** Text made safe for a Markdown table's cell: a `|` would end the cell, a line break the row. */
export function markdownCell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

/**
 * The sign-off as Markdown: a heading with the date and the commit, then what else changes what
 * the verdicts mean (the accelerator, the box, the acceptance file's hash, a dirty tree), then the table.
 */
export function renderSignoffMarkdown(rows: readonly SignoffRow[], meta: { date: string; commit: string; facts?: Readonly<Record<string, string>> }): string {
  const facts = Object.entries(meta.facts ?? {}).map(([name, value]) => `- ${name}: ${value}`);
  const lines = [
    `# ha-lab sign-off (${rows[0]?.profile ?? 'no'} profile), ${meta.date}, commit ${meta.commit}`,
    '',
    ...(facts.length ? [...facts, ''] : []),
    `| scenario | path stated | ${PROPERTIES.join(' | ')} | outcome | RTO breakdown | timeline |`,
    `|---|---|${PROPERTIES.map(() => '---').join('|')}|---|---|---|`,
  ];
  for (const row of rows) {
    const outcome = row.error ? `FAILED: ${row.error}` : row.judgement.failures.length ? `FAILED: ${row.judgement.failures.join('; ')}`
      : row.judgement.stale.length ? `passed; STALE (warning): ${row.judgement.stale.join(', ')}` : 'passed';
    const cells = [`${row.id} ${row.name}`, row.path ?? '—', ...PROPERTIES.map((p) => cell(row, p)), outcome, row.figures.rtoBreakdown ?? '—'].map(markdownCell);
    lines.push(`| ${cells.join(' | ')} | [${row.kind === 'configuration' ? 'table' : 'timeline'}](${row.timeline}) |`);
  }
  return `${lines.join('\n')}\n`;
}

/** A failure's reason on the terminal: one line, cut where it would flood a CI log's tail. */
const why = (text: string) => `      why: ${text.split('\n')[0].slice(0, 400)}`;

/**
 * The same table for the terminal. Under a FAILED row, why, one line per reason: the tail of a
 * CI log is often all an operator sees of a run.
 */
export function renderSignoffText(rows: readonly SignoffRow[]): string {
  return rows.flatMap((row) => [
    `  ${`${row.id} ${row.name}`.padEnd(44)} ${PROPERTIES.map((p) => cell(row, p).padEnd(34)).join(' ')}${row.judgement.failures.length || row.error ? ' FAILED' : ''}`,
    ...(row.error ? [why(`stopped before its end: ${row.error}`)] : []),
    ...row.judgement.failures.map(why),
  ]).join('\n');
}
