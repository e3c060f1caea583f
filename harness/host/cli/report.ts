/** `npm run report`: renders the Allure HTML from reports/allure-results. */
import { renderReport } from '../report/render.js';
import { REPORTS_DIR } from '../../support/paths.js';

try {
  await renderReport(REPORTS_DIR);
} catch (error) {
  process.stderr.write(`report: ${(error as Error).message}\n`);
  process.exit(1);
}
