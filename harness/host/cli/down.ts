/**
 * `npm run down`: removes everything of the lab — domains, volumes, networks and storage pool
 * carrying the topology's prefix, the isolated lab's namespace and daemons, Vagrant's state —
 * saying first what it found.
 */
import { rmSync } from 'node:fs';
import { hostLab, labHypervisor, remoteLab, type Lab } from '../lab/lab.js';
import { parseLibvirtUri } from '../../config/libvirt-uri.js';
import { libvirtServing, namespaceExists, openIsolatedLab, ownLibvirtdRunning } from '../lab/isolated-lab.js';
import { findLeftovers, removeLeftovers } from '../lab/leftovers.js';
import { log } from '../../support/log.js';
import { loadTopology } from '../../config/topology.js';
import { HALAB_DIR, PROJECT_DIR } from '../../support/paths.js';
import { EXIT, startCommand } from './command-line.js';

const HELP = `npm run down   remove everything of the lab: its VMs and their disks, its libvirt networks and storage
               pool (only names carrying the topology's prefix), the isolated lab's namespace and daemons,
               Vagrant's state and .halab/ — a kept cluster included

  --libvirt-uri <uri>   a remote libvirt's lab (default: HALAB_LIBVIRT_URI, else this machine's)
  -h, --help   this text

Exit codes: 0 nothing of the lab is left, 1 something could not be removed, 2 the command line was refused.`;

async function removeAll(lab: Lab, prefix: string): Promise<void> {
  const found = await findLeftovers(lab, prefix);
  const what = [...found.domains.map((d) => `VM ${d}`), ...found.networks.map((n) => `network ${n}`), ...found.volumes.map((v) => `volume ${v}`), ...(found.pool ? [`storage pool ${prefix}`] : []), ...found.disks.map((d) => `the volatile disk of ${d}`)];
  log('down', what.length ? `removing ${what.join(', ')}` : `no VM, network or volume of ${prefix} in libvirt`);
  await removeLeftovers(lab, prefix, PROJECT_DIR, found);
}

async function main(argv: readonly string[]): Promise<number> {
  const start = startCommand('down', argv, { 'libvirt-uri': { type: 'string' } }, HELP);
  if (start.exit !== undefined) return start.exit;
  try {
    const { prefix } = loadTopology();
    const { uri, remote } = parseLibvirtUri(start.values['libvirt-uri'] ?? process.env.HALAB_LIBVIRT_URI, start.values['libvirt-uri'] === undefined ? 'HALAB_LIBVIRT_URI' : '--libvirt-uri');
    if (remote) {
      const lab = remoteLab(uri, remote);
      if (!(await labHypervisor(lab).answers(30_000))) throw new Error(`no libvirtd answers at ${uri}`);
      await removeAll(lab, prefix);
      await lab.onHypervisorHost('rm', ['-rf', `/var/lib/${prefix}`]);
      rmSync(HALAB_DIR, { recursive: true, force: true });
      log('down', `nothing of the lab is left at ${uri}`);
      return EXIT.ok;
    }
    const ours = ownLibvirtdRunning() || (await namespaceExists(prefix));
    if (ours || (process.getuid?.() === 0 && !(await libvirtServing()))) {
      // Definitions of an earlier isolated lab persist on disk: a libvirtd of ours must read them to remove them.
      const lab = await openIsolatedLab(prefix);
      await removeAll(lab, prefix);
      log('down', `removing the network namespace ${prefix} and its daemons`);
      await lab.remove();
    } else {
      await removeAll(hostLab(), prefix);
    }
    rmSync(HALAB_DIR, { recursive: true, force: true });
    rmSync(`/var/lib/${prefix}`, { recursive: true, force: true });
    log('down', 'nothing of the lab is left');
    return EXIT.ok;
  } catch (error) {
    log('down', `FAILED: ${(error as Error).message}`);
    return EXIT.failed;
  }
}

process.exit(await main(process.argv.slice(2)));
