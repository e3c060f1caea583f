/** `npm run box`: builds (if the recipe changed) and installs the lab's Vagrant box. */
import { ensureBox } from '../box/box.js';
import { preflight } from '../preflight/preflight.js';
import { log } from '../../support/log.js';
import { loadTopology } from '../../config/topology.js';

try {
  const topology = loadTopology();
  await preflight();
  const box = await ensureBox(topology.box.name);
  log('box', `ready: ${box.name} in ${box.installedDir} (recipe ${box.key})`);
} catch (error) {
  log('box', `FAILED: ${(error as Error).message}`);
  process.exit(1);
}
