/** `npm run report [-- --profile P]`: renders the Allure HTML from a run's allure-results, then scans the reports for the lab's secrets. */
import { reportFiles, runContext } from '../../config/run-context.js';
import { parseProfileName } from '../../config/profile.js';
import { renderReport } from '../report/render.js';
import { reportsLeakSecrets } from '../report/secret-scan.js';
import { SECRETS_FILE } from '../../support/paths.js';
import { EXIT, parseCommandLine, UsageError } from './command-line.js';

const HELP = `npm run report -- [--profile <name>]   render the HTML report of the last run of a profile, and scan the reports for secrets

  --profile <name>   guide (default: reports/) or another profile (reports/<name>/)
  -h, --help         this text

Exit codes: 0 rendered and no secret found, 1 not rendered or a secret found, 2 the command line was refused.`;

async function main(argv: readonly string[]): Promise<number> {
  let reports;
  try {
    const { values, help } = parseCommandLine(argv, { profile: { type: 'string' } } as const, HELP);
    if (help) {
      process.stdout.write(`${help}\n`);
      return EXIT.ok;
    }
    reports = reportFiles(runContext({ profile: parseProfileName(values.profile) }).reportsDir);
  } catch (error) {
    process.stderr.write(`report: ${(error as Error).message}\n`);
    return EXIT.usage;
  }
  try {
    await renderReport(reports.dir);
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
