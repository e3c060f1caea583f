/** `npm run report`: renders the Allure HTML from reports/allure-results. */
import { join } from 'node:path';
import { renderReport } from '../report/render.js';
import { PROJECT_DIR } from '../vagrant/vagrant.js';

try {
  await renderReport(join(PROJECT_DIR, 'reports'));
} catch (error) {
  process.stderr.write(`report: ${(error as Error).message}\n`);
  process.exit(1);
}
