/**
 * `npm run report [-- --profile P]`: renders the Allure HTML from a run's allure-results, then
 * scans the reports for the lab's secrets. `--side-by-side`: the profiles compared, from each
 * profile's rows in reports/profiles/ (what a nightly run gathers from its jobs).
 */
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { mergeShards, readShardResult, renderMissing } from '../shards/merge.js';
import { durationsFromJunit, readDurations } from '../shards/shard-plan.js';
import { renderSignoffMarkdown, renderSignoffText } from '../../checking/signoff/signoff-table.js';
import { writeProfileResult } from '../../checking/signoff/side-by-side.js';
import { readProfileResults, renderSideBySide, writeSideBySideFile } from '../../checking/signoff/side-by-side.js';
import { reportFiles, runContext } from '../../config/run-context.js';
import { parseProfileName } from '../../config/profile.js';
import { junitClosingLine } from '../report/junit-summary.js';
import { renderReport, writeSignoffResult } from '../report/render.js';
import { reportsLeakSecrets } from '../report/secret-scan.js';
import { DURATIONS_FILE, PROFILE_RESULTS_DIR, PROJECT_DIR, REPORTS_ROOT, SECRETS_FILE, SIDE_BY_SIDE_FILE } from '../../support/paths.js';
import { EXIT, startCommand, UsageError } from './command-line.js';

const HELP = `npm run report -- [--profile <name>]   render the HTML report of the last run of a profile, and scan the reports for secrets
npm run report -- --side-by-side       compare the profiles from reports/profiles/*.json into reports/side-by-side.md
npm run report -- --merge <dir>…      the shards' reports (npm run e2e -- --shard i/n) as one sign-off and one Allure report
npm run report -- --durations <junit.xml>…   refresh specs/durations.json (what --shard deals the specs out by) from runs
npm run report -- --closing <junit.xml>…     each run's closing lines again: its counts and each failure's cause

  --profile <name>   guide (default: reports/) or another profile (reports/<name>/)
  --side-by-side     the side-by-side table of every profile that has results, printed and written
  --merge            the folders given are shards' reports: refused unless of one commit, profile, variant and
                     acceptance file; written to --out (default reports/merged/); a spec no shard ran is MISSING
  --out <dir>        where --merge writes
  --durations        the files given are JUnit reports: each spec file's seconds into specs/durations.json
  --closing          the files given are JUnit reports: print their counts and failures (a run that wrote none
                     is said so), as a CI job's last lines, which are often all its log shows
  -h, --help         this text

Exit codes: 0 rendered and no secret found (merged: and nothing failed or missing), 1 not rendered, a secret found,
a merged scenario failed or missing (closing: a report with a failure, or none), 2 the command line was refused.`;

/** Every profile's last rows side by side; fails when fewer than two profiles have results. */
function sideBySide(): number {
  const profiles = readProfileResults(PROFILE_RESULTS_DIR);
  if (profiles.length < 2) {
    process.stderr.write(`report: ${profiles.length} profile(s) with results in ${relative(PROJECT_DIR, PROFILE_RESULTS_DIR)}/ (${profiles.map((p) => p.profile).join(', ') || 'none'}): nothing to compare\n`);
    return EXIT.failed;
  }
  const table = renderSideBySide(profiles);
  writeSideBySideFile(SIDE_BY_SIDE_FILE, table);
  process.stdout.write(table);
  return EXIT.ok;
}

/** The shards' results as one sign-off, one Allure report and this label's side-by-side rows. */
async function merge(dirs: readonly string[], out: string): Promise<number> {
  const merged = mergeShards(dirs.map((dir) => readShardResult(resolve(dir))));
  rmSync(out, { recursive: true, force: true });
  mkdirSync(join(out, 'allure-results'), { recursive: true });
  for (const dir of dirs) if (existsSync(join(dir, 'allure-results'))) cpSync(join(dir, 'allure-results'), join(out, 'allure-results'), { recursive: true, force: false, errorOnExist: false });
  const date = new Date().toISOString().slice(0, 10);
  const markdown = `${renderSignoffMarkdown(merged.rows, { date, commit: merged.facts.commit ?? 'unknown', facts: merged.facts })}${renderMissing(merged.missing)}`;
  writeFileSync(join(out, 'signoff.md'), markdown);
  writeFileSync(join(out, 'timings.json'), `${JSON.stringify({ facts: merged.facts }, null, 2)}\n`);
  const failed = merged.rows.some((r) => r.judgement.failures.length || r.error) || merged.missing.length > 0;
  writeSignoffResult(join(out, 'allure-results'), markdown, failed, Date.now());
  const label = merged.rows[0]?.profile ?? 'merged';
  writeProfileResult(PROFILE_RESULTS_DIR, { profile: label, date, commit: merged.facts.commit ?? 'unknown', rows: merged.rows });
  const profiles = readProfileResults(PROFILE_RESULTS_DIR);
  if (profiles.length > 1) writeSideBySideFile(SIDE_BY_SIDE_FILE, renderSideBySide(profiles));
  await renderReport(out, undefined, `${label}-merged`).catch((error: Error) => process.stderr.write(`report: HTML not rendered: ${error.message}\n`));
  process.stderr.write(`merged sign-off of ${dirs.length} shard(s) (${relative(PROJECT_DIR, join(out, 'signoff.md'))}):\n${renderSignoffText(merged.rows)}\n`);
  for (const spec of merged.missing) process.stderr.write(`  MISSING ${spec}: planned for a shard, run by none\n`);
  return failed ? EXIT.failed : EXIT.ok;
}

/** Each JUnit report's closing lines; fails when one has a failure or is missing. */
function closing(files: readonly string[]): number {
  let failed = false;
  for (const file of files) {
    const lines = junitClosingLine(file);
    failed ||= !lines || /\bfailed: /.test(lines);
    process.stdout.write(`${relative(PROJECT_DIR, resolve(file))}: ${lines ?? 'no JUnit report: the run ended before its specs reported'}\n`);
  }
  return failed ? EXIT.failed : EXIT.ok;
}

/** specs/durations.json refreshed from JUnit reports: the specs they have, measured again; the others kept. */
function durations(files: readonly string[]): number {
  const measured = durationsFromJunit(files.map((f) => readFileSync(f, 'utf8')));
  if (!Object.keys(measured).length) throw new Error(`no testcase with a spec file and a time in ${files.join(', ')}`);
  const kept = readDurations(DURATIONS_FILE);
  const seconds = Object.fromEntries(Object.entries({ ...kept.seconds, ...measured }).sort(([a], [b]) => a.localeCompare(b)));
  writeFileSync(DURATIONS_FILE, `${JSON.stringify({ $comment: 'Each spec file\'s seconds as runs measured them: what npm run e2e -- --shard i/n deals the specs out by. Refreshed by npm run report -- --durations <junit.xml>….', measured: new Date().toISOString().slice(0, 10), seconds }, null, 2)}\n`);
  process.stdout.write(`${relative(PROJECT_DIR, DURATIONS_FILE)}: ${Object.entries(measured).map(([spec, s]) => `${spec} ${s} s`).join(', ')}\n`);
  return EXIT.ok;
}

async function main(argv: readonly string[]): Promise<number> {
  const start = startCommand('report', argv, { profile: { type: 'string' }, 'side-by-side': { type: 'boolean' }, merge: { type: 'boolean' }, out: { type: 'string' }, durations: { type: 'boolean' }, closing: { type: 'boolean' } } as const, HELP, { positionals: true });
  if (start.exit !== undefined) return start.exit;
  const { values, positionals } = start;
  if (values.merge || values.durations || values.closing) {
    if (!positionals.length) {
      process.stderr.write(`report: --${values.merge ? 'merge' : values.durations ? 'durations' : 'closing'} needs the ${values.merge ? 'shards\' reports folders' : 'JUnit reports'} to read\n`);
      return EXIT.usage;
    }
    if (values.closing) return closing(positionals);
    try {
      return values.merge ? await merge(positionals, resolve(values.out ?? join(REPORTS_ROOT, 'merged'))) : durations(positionals);
    } catch (error) {
      process.stderr.write(`report: ${(error as Error).message}\n`);
      return EXIT.failed;
    }
  }
  if (positionals.length) {
    process.stderr.write(`report: ${positionals.join(' ')}: folders or files belong to --merge, --durations or --closing\n`);
    return EXIT.usage;
  }
  let reports;
  let profile: string;
  try {
    if (values['side-by-side']) return sideBySide();
    profile = parseProfileName(values.profile);
    reports = reportFiles(runContext({ profile }).reportsDir);
  } catch (error) {
    process.stderr.write(`report: ${(error as Error).message}\n`);
    return EXIT.usage;
  }
  try {
    await renderReport(reports.dir, undefined, profile);
  } catch (error) {
    process.stderr.write(`report: ${(error as Error).message}\n`);
    return EXIT.failed;
  }
  return reportsLeakSecrets(reports.dir, SECRETS_FILE, (line) => process.stderr.write(line)) ? EXIT.failed : EXIT.ok;
}

process.exit(await main(process.argv.slice(2)).catch((error: Error) => {
  process.stderr.write(`report: ${error instanceof UsageError ? '' : 'FAILED: '}${error.message}\n`);
  return EXIT.failed;
}));
