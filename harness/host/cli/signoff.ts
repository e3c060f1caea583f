/**
 * `npm run signoff [-- --profile P]`: judges the last run's scenarios again against the
 * accepted-findings file (acceptance/<profile>.json), without the VMs: for an operator who
 * edits the file after reading the report. Prints the table; exits 1 on any unaccepted finding,
 * STALE must-reproduce finding or scenario that stopped before its end, naming them.
 */
import { loadAcceptance } from '../../checking/signoff/acceptance.js';
import { rejudge } from '../../checking/signoff/signoff-row.js';
import { readSignoffRows, renderSignoffText } from '../../checking/signoff/signoff-table.js';
import { parseProfileName } from '../../config/profile.js';
import { reportFiles, runContext, type RunContext } from '../../config/run-context.js';
import { log } from '../../support/log.js';
import { EXIT, startCommand } from './command-line.js';

const HELP = `npm run signoff -- [--profile <name>]   judge the last run's scenarios again against acceptance/<name>.json, without VMs

  --profile <name>   guide (default) or another profile
  -h, --help         this text

Exit codes: 0 every finding accepted, 1 a finding not accepted, a STALE accepted finding or a scenario cut short, 2 the command line was refused.`;

function signoff(run: RunContext): number {
  const file = run.acceptanceFile;
  const acceptance = loadAcceptance(file);
  const { scenarios } = reportFiles(run.reportsDir);
  const rows = readSignoffRows(scenarios);
  if (!rows.length) throw new Error(`no scenario results in ${scenarios}: run \`npm run e2e\` first`);
  const judged = rows.map((row) => rejudge(row, acceptance));
  process.stdout.write(`${renderSignoffText(judged)}\n`);
  // A scenario that stopped before its end has a partial verdict: a failure whatever the file accepts.
  const failures = judged.flatMap((row) => [...(row.error ? [`${row.id}: stopped before its end: ${row.error}`] : []), ...row.judgement.failures]);
  for (const row of judged) for (const stale of row.judgement.stale) log('signoff', `${row.id}: STALE ${stale} (accepted in ${file}, did not show)`);
  for (const failure of failures) log('signoff', `FAILED: ${failure}`);
  log('signoff', failures.length ? `${failures.length} failure(s) against ${file}` : `every finding is accepted in ${file}`);
  return failures.length ? EXIT.failed : EXIT.ok;
}

function main(argv: readonly string[]): number {
  const start = startCommand('signoff', argv, { profile: { type: 'string' } } as const, HELP);
  if (start.exit !== undefined) return start.exit;
  let run: RunContext;
  try {
    run = runContext({ profile: parseProfileName(start.values.profile) });
  } catch (error) {
    log('signoff', (error as Error).message);
    return EXIT.usage;
  }
  try {
    return signoff(run);
  } catch (error) {
    log('signoff', `FAILED: ${(error as Error).message}`);
    return EXIT.failed;
  }
}

process.exit(main(process.argv.slice(2)));
