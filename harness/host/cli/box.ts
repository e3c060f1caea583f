/** `npm run box`: builds (if the recipe changed) and installs the lab's Vagrant box. */
import { ensureBox } from '../box/box.js';
import { preflight } from '../preflight/preflight.js';
import { log } from '../../support/log.js';
import { loadTopology } from '../../config/topology.js';
import { EXIT, startCommand } from './command-line.js';

const HELP = `npm run box   build the lab's Vagrant box offline from Debian packages (only when its recipe changed),
              and add it to Vagrant; as root on Debian, preflight installs the tools it needs first

  -h, --help  this text

The box is cached under /var/cache/ha-lab (HALAB_CACHE_DIR); HALAB_DEBIAN_MIRROR names another mirror.
Exit codes: 0 the box is ready, 1 it could not be built, 2 the command line was refused.`;

async function main(argv: readonly string[]): Promise<number> {
  const start = startCommand('box', argv, {}, HELP);
  if (start.exit !== undefined) return start.exit;
  try {
    const topology = loadTopology();
    await preflight();
    const box = await ensureBox(topology.box.name);
    log('box', `ready: ${box.name} in ${box.installedDir} (recipe ${box.key})`);
    return EXIT.ok;
  } catch (error) {
    log('box', `FAILED: ${(error as Error).message}`);
    return EXIT.failed;
  }
}

process.exit(await main(process.argv.slice(2)));
