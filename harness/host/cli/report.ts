/** `npm run report`: renders the Allure HTML from reports/allure-results, then scans the reports for the lab's secrets. */
import { renderReport } from '../report/render.js';
import { reportsLeakSecrets } from '../report/secret-scan.js';
import { REPORTS_DIR, SECRETS_FILE } from '../../support/paths.js';

try {
  await renderReport(REPORTS_DIR);
} catch (error) {
  process.stderr.write(`report: ${(error as Error).message}\n`);
  process.exit(1);
}
if (reportsLeakSecrets(REPORTS_DIR, SECRETS_FILE, (line) => process.stderr.write(line))) process.exit(1);
