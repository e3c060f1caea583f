import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROPERTIES } from './acceptance.js';
import { cell, markdownCell, type SignoffRow } from './signoff-table.js';

/** A scenario's sign-off row with the run that measured it. */
export type MeasuredRow = SignoffRow & { measured?: { date: string; commit: string } };

/** Each profile's latest row per scenario, kept across runs (reports/profiles/<profile>.json) so that profiles can be compared. */
export interface ProfileResult {
  profile: string;
  date: string;
  commit: string;
  rows: MeasuredRow[];
}

/**
 * Records a run's rows for its profile: a scenario run again replaces its row, the others stay
 * with the date and commit that measured them (a run of a few specs does not erase the rest).
 */
export function writeProfileResult(dir: string, result: ProfileResult): void {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${result.profile}.json`);
  const earlier = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as ProfileResult) : undefined;
  const fresh = result.rows.map((row) => ({ ...row, measured: { date: result.date, commit: result.commit } }));
  const kept = (earlier?.rows ?? []).filter((row) => !fresh.some((f) => f.id === row.id)).map((row) => ({ ...row, measured: row.measured ?? { date: earlier!.date, commit: earlier!.commit } }));
  writeFileSync(file, `${JSON.stringify({ ...result, rows: [...fresh, ...kept] }, null, 2)}\n`);
}

/** "2026-11-28, commit abc (F1 F2); 2026-11-27, commit def (S1)": which run measured which rows. */
function measuredBy(result: ProfileResult): string {
  const groups = new Map<string, string[]>();
  for (const row of result.rows) {
    const key = row.measured ? `${row.measured.date}, commit ${row.measured.commit}` : `${result.date}, commit ${result.commit}`;
    groups.set(key, [...(groups.get(key) ?? []), row.id]);
  }
  return [...groups].map(([key, ids]) => `${key} (${ids.sort((a, b) => a.localeCompare(b, 'en', { numeric: true })).join(' ')})`).join('; ');
}

/** The guide's first, then the others by name. */
export function readProfileResults(dir: string): ProfileResult[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as ProfileResult)
    .sort((a, b) => (a.profile === 'guide' ? -1 : b.profile === 'guide' ? 1 : a.profile.localeCompare(b.profile)));
}

const verdictOf = (row: SignoffRow | undefined, property: (typeof PROPERTIES)[number]) => row?.verdicts.find((v) => v.property === property)?.verdict;

/**
 * What the comparison says where the profiles differ: hardening that buys data safety with
 * availability (no stale data, but no service), or a profile doing worse than the guide.
 */
export function tradeOff(guide: SignoffRow | undefined, other: SignoffRow | undefined, profile: string): string {
  if (!guide || !other) return '';
  const worse = PROPERTIES.filter((p) => rank(verdictOf(other, p)) > rank(verdictOf(guide, p)));
  const better = PROPERTIES.filter((p) => rank(verdictOf(other, p)) < rank(verdictOf(guide, p)));
  const findings = (p: (typeof PROPERTIES)[number]) => other.verdicts.find((v) => v.property === p)?.findings.map((f) => f.id).join(' ') ?? '';
  if (better.length && worse.length) return `${profile} trades ${worse.join(', ')} (${worse.map(findings).join('; ')}) for ${better.join(', ')}`;
  if (worse.length) return `${profile} is worse on ${worse.join(', ')} (${worse.map(findings).join('; ')})`;
  if (better.length) return `${profile} is better on ${better.join(', ')}`;
  return 'the same verdicts';
}

/** SAFE < UNKNOWN < UNSAFE; a property not judged ranks as unknown. */
function rank(verdict: string | undefined): number {
  return verdict === 'SAFE' ? 0 : verdict === 'UNSAFE' ? 2 : 1;
}

/**
 * The side-by-side table: scenario × property, one column per profile, each cell the verdict with
 * its key figure (as in each profile's sign-off), and where the profiles differ, how. A scenario a
 * profile did not run says so: nothing is inferred for it.
 */
export function renderSideBySide(results: readonly ProfileResult[]): string {
  if (!results.length) return '';
  const ids = [...new Set(results.flatMap((r) => r.rows.map((row) => row.id)))].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  // A scenario repeated in one run (D1's repetitions) has one row per repetition.
  const rowsOf = (result: ProfileResult | undefined, id: string) => result?.rows.filter((row) => row.id === id) ?? [];
  const worst = (rows: SignoffRow[]) => rows.reduce<SignoffRow | undefined>((w, row) => (!w || PROPERTIES.some((p) => rank(verdictOf(row, p)) > rank(verdictOf(w, p))) ? row : w), undefined);
  const guide = results.find((r) => r.profile === 'guide');
  const others = results.filter((r) => r !== guide);
  const columns = PROPERTIES.flatMap((p) => results.map((r) => `${p}: ${r.profile}`));
  const lines = [
    '## Side by side: the same faults against each profile',
    '',
    ...results.map((r) => `- ${r.profile}: measured ${measuredBy(r)}`),
    '',
    `| scenario | ${columns.join(' | ')} | ${others.length ? 'where they differ' : ''} |`,
    `|---|${columns.map(() => '---').join('|')}|---|`,
  ];
  for (const id of ids) {
    const name = results.map((r) => rowsOf(r, id)[0]?.name).find(Boolean)?.replace(/ \d+ of \d+$/, '') ?? '';
    const cells = PROPERTIES.flatMap((p) => results.map((r) => {
      const rows = rowsOf(r, id);
      if (!rows.length) return 'not run';
      const distinct = [...new Set(rows.map((row) => cell(row, p)))];
      return rows.length === 1 ? distinct[0] : `${rows.length} runs: ${distinct.join('; ')}`;
    }));
    const differ = others.map((o) => tradeOff(worst(rowsOf(guide, id)), worst(rowsOf(o, id)), o.profile)).filter(Boolean).join('; ');
    lines.push(`| ${[`${id} ${name}`, ...cells, differ].map(markdownCell).join(' | ')} |`);
  }
  return `${lines.join('\n')}\n`;
}

/** The side-by-side table as its own page (reports/side-by-side.md), for the run that writes it and `npm run report -- --side-by-side`. */
export function writeSideBySideFile(file: string, table: string): void {
  writeFileSync(file, `# ha-lab: the fault catalogue against each profile\n\n${table}`);
}
