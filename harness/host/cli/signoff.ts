/**
 * `npm run signoff [-- --profile P]`: judges the last run's scenarios again against the
 * accepted-findings file (acceptance/<profile>.json), without the VMs: for an operator who
 * edits the file after reading the report. Prints the table; exits 1 on any unaccepted finding,
 * STALE must-reproduce finding or scenario that stopped before its end, naming them.
 */
// First: the scenarios' folder depends on --profile (reports/ or reports/<profile>/).
import './profile-flag.js';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { judge, loadAcceptance } from '../../checking/signoff/acceptance.js';
import { readSignoffRows, renderSignoffText } from '../../checking/signoff/signoff-table.js';
import { log } from '../../support/log.js';
import { ACCEPTANCE_DIR, SCENARIOS_DIR } from '../../support/paths.js';

const { values } = parseArgs({ options: { profile: { type: 'string', default: process.env.HALAB_PROFILE ?? 'guide' } } });
try {
  const file = join(ACCEPTANCE_DIR, `${values.profile}.json`);
  const acceptance = loadAcceptance(file);
  const rows = readSignoffRows(SCENARIOS_DIR);
  if (!rows.length) throw new Error(`no scenario results in ${SCENARIOS_DIR}: run \`npm run e2e\` first`);
  const judged = rows.map((row) => {
    const j = judge(row.id, row.verdicts, acceptance);
    return { ...row, judgement: { failures: j.failures, reproduced: j.reproduced.map((a) => a.finding), stale: j.stale.map((a) => a.finding) } };
  });
  process.stdout.write(`${renderSignoffText(judged)}\n`);
  // A scenario that stopped before its end has a partial verdict: a failure whatever the file accepts.
  const failures = judged.flatMap((row) => [...(row.error ? [`${row.id}: stopped before its end: ${row.error}`] : []), ...row.judgement.failures]);
  for (const row of judged) for (const stale of row.judgement.stale) log('signoff', `${row.id}: STALE ${stale} (accepted in ${file}, did not show)`);
  for (const failure of failures) log('signoff', `FAILED: ${failure}`);
  log('signoff', failures.length ? `${failures.length} failure(s) against ${file}` : `every finding is accepted in ${file}`);
  process.exit(failures.length ? 1 : 0);
} catch (error) {
  log('signoff', `FAILED: ${(error as Error).message}`);
  process.exit(1);
}
