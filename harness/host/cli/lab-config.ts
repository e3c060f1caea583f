/**
 * Prints the validated lab settings as JSON for the Vagrantfile (which runs this when the
 * harness has not already passed them in HALAB_LAB_JSON). A bad topology exits 1 with one line.
 */
import { writeFileSync } from 'node:fs';
import { labSettings } from '../vagrant/lab-settings.js';

try {
  const settings = await labSettings();
  if (process.argv[2]) writeFileSync(process.argv[2], JSON.stringify(settings, null, 2));
  else process.stdout.write(`${JSON.stringify(settings)}\n`);
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
}
