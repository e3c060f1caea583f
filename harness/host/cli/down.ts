/**
 * `npm run down`: removes everything of the lab — domains, volumes, networks and storage pool
 * carrying the topology's prefix, the isolated lab's namespace and daemons, Vagrant's state.
 */
import { rmSync } from 'node:fs';
import { hostLab } from '../lab/lab.js';
import { libvirtServing, namespaceExists, openIsolatedLab, ownLibvirtdRunning } from '../lab/isolated-lab.js';
import { removeLeftovers } from '../lab/leftovers.js';
import { log } from '../../support/log.js';
import { loadTopology } from '../../config/topology.js';
import { HALAB_DIR, PROJECT_DIR } from '../../support/paths.js';

try {
  const { prefix } = loadTopology();
  const ours = ownLibvirtdRunning() || (await namespaceExists(prefix));
  if (ours || (process.getuid?.() === 0 && !(await libvirtServing()))) {
    // Definitions of an earlier isolated lab persist on disk: a libvirtd of ours must read them to remove them.
    const lab = await openIsolatedLab(prefix);
    await removeLeftovers(lab, prefix, PROJECT_DIR);
    await lab.remove();
  } else {
    await removeLeftovers(hostLab(), prefix, PROJECT_DIR);
  }
  rmSync(HALAB_DIR, { recursive: true, force: true });
  rmSync(`/var/lib/${prefix}`, { recursive: true, force: true });
  log('down', 'nothing of the lab is left');
} catch (error) {
  log('down', `FAILED: ${(error as Error).message}`);
  process.exit(1);
}
