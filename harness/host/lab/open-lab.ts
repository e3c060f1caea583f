import { hostLab, labHypervisor, remoteLab, type Lab } from './lab.js';
import { parseLibvirtUri } from '../../config/libvirt-uri.js';
import { libvirtServing, openIsolatedLab, ownLibvirtdRunning } from './isolated-lab.js';

export interface OpenedLab extends Lab {
  description: string;
  /** Ends what opening started: the isolated lab's namespace and daemons. */
  close(): Promise<void>;
}

export interface LabChoice {
  isolated?: boolean;
  host?: boolean;
}

/**
 * Isolated by default when running as root with no libvirtd already serving (sandboxes, CI);
 * the host's libvirtd otherwise (a workstation). `--isolated` / `--host` or HALAB_ISOLATED=1/0
 * decide explicitly.
 */
export async function openLab(namespace: string, choice: LabChoice = {}, libvirtUri?: string): Promise<OpenedLab> {
  // Another host's libvirt: nothing of the lab runs here but its clients, so no namespace and no daemon.
  const { uri, remote } = parseLibvirtUri(libvirtUri, 'the run\'s libvirt URI');
  if (remote) {
    const lab = remoteLab(uri, remote);
    if (!(await labHypervisor(lab).answers(30_000))) throw new Error(`no libvirtd answers at ${uri} (try: virsh -c '${uri}' uri)`);
    return { ...lab, description: `remote: libvirt at ${uri}, the guests reached through ${remote.user}@${remote.host}`, close: async () => {} };
  }
  const env = process.env.HALAB_ISOLATED;
  let isolated = choice.isolated ?? (choice.host ? false : env === '1' ? true : env === '0' ? false : undefined);
  let why = 'chosen explicitly';
  if (isolated === undefined) {
    const root = process.getuid?.() === 0;
    const foreign = !ownLibvirtdRunning() && (await libvirtServing());
    isolated = root && !foreign;
    why = isolated ? 'root, and no other libvirtd serving' : root ? "a libvirtd of the host's is serving" : 'not root';
  }
  if (!isolated) return { ...hostLab(), description: `host libvirtd (${why})`, close: async () => {} };
  const lab = await openIsolatedLab(namespace);
  return { ...lab, description: `isolated: network namespace ${namespace} with its own libvirtd (${why})`, close: () => lab.remove() };
}
