/**
 * `npm run report [-- --profile P]`: renders the Allure HTML from a run's allure-results, then
 * scans the reports for the lab's secrets. `--side-by-side`: the profiles compared, from each
 * profile's rows in reports/profiles/ (what a nightly run gathers from its jobs).
 */
import { relative } from 'node:path';
import { readProfileResults, renderSideBySide, writeSideBySideFile } from '../../checking/signoff/side-by-side.js';
import { reportFiles, runContext } from '../../config/run-context.js';
import { parseProfileName } from '../../config/profile.js';
import { renderReport } from '../report/render.js';
import { reportsLeakSecrets } from '../report/secret-scan.js';
import { PROFILE_RESULTS_DIR, PROJECT_DIR, SECRETS_FILE, SIDE_BY_SIDE_FILE } from '../../support/paths.js';
import { EXIT, startCommand, UsageError } from './command-line.js';

const HELP = `npm run report -- [--profile <name>]   render the HTML report of the last run of a profile, and scan the reports for secrets
npm run report -- --side-by-side       compare the profiles from reports/profiles/*.json into reports/side-by-side.md

  --profile <name>   guide (default: reports/) or another profile (reports/<name>/)
  --side-by-side     the side-by-side table of every profile that has results, printed and written
  -h, --help         this text

Exit codes: 0 rendered and no secret found, 1 not rendered or a secret found, 2 the command line was refused.`;

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

async function main(argv: readonly string[]): Promise<number> {
  const start = startCommand('report', argv, { profile: { type: 'string' }, 'side-by-side': { type: 'boolean' } } as const, HELP);
  if (start.exit !== undefined) return start.exit;
  const { values } = start;
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
