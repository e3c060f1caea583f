import { copyFileSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { chooseAccelerator, probeAccelerator, type AcceleratorChoice } from '../accel/accel.js';
import { cacheRoot, installedBoxDir } from '../box/box.js';
import { loadTopology, type ResolvedTopology } from '../../config/topology.js';
import type { VolatileDiskPlan } from '../lab/volatile-disks.js';
import type { Lab } from '../lab/lab.js';
import { LOCAL_LIBVIRT_URI, sshArguments, type HypervisorHost } from '../../config/libvirt-uri.js';

/** Everything the Vagrantfile needs, validated and decided in one place. */
export interface LabSettings {
  topology: ResolvedTopology;
  accelerator: AcceleratorChoice;
  /** Direct kernel boot, when the installed box ships a kernel (the ha-lab box does). */
  directBoot?: { kernel: string; initrd: string; cmdLine: string };
  /** libvirt names owned by the lab: everything carries the topology's prefix. */
  libvirt: { storagePool: string; managementNetwork: string; labNetwork: string; domainPrefix: string; replicationNetwork: string };
  /** The data disks behind a volatile write cache (`--disks volatile`), per node; absent: ordinary qcow2 volumes. */
  volatileDisks?: VolatileDiskPlan;
  /** The libvirt the VMs run on (vagrant-libvirt's `uri`). */
  libvirtUri: string;
  /** Another host's libvirt: how vagrant reaches the guests, through that host (vagrant-libvirt's `proxy_command`). */
  guestProxyCommand?: string;
}

/** Another host's libvirt, and how its host runs the lab's commands. */
export interface RemoteHypervisor {
  lab: Lab;
  host: HypervisorHost;
}

export const KERNEL_CMDLINE = 'root=/dev/vda rw console=ttyS0 net.ifnames=0 biosdevname=0 quiet';

/**
 * `remote`: the VMs run on another host's libvirt. The box's kernel and initrd are copied there
 * (qemu reads them on its own host), the accelerator is probed there, and vagrant reaches the
 * guests through that host.
 */
export async function labSettings(topology = loadTopology(), accelerator?: AcceleratorChoice, remote?: RemoteHypervisor): Promise<LabSettings> {
  const boxDir = installedBoxDir(topology.box.name);
  const kernel = join(boxDir, 'vmlinuz');
  const initrd = join(boxDir, 'initrd.img');
  const hasKernel = existsSync(kernel) && existsSync(initrd);
  const prefix = topology.prefix;
  const bootFiles = !hasKernel ? undefined : remote ? await bootFilesOnHost(remote.lab, kernel, initrd, `/var/lib/${prefix}/boot`) : readableBootFiles(kernel, initrd);
  if (!accelerator) {
    if (!hasKernel && !process.env.HALAB_ACCEL)
      throw new Error(`the accelerator probe boots the box's kernel, but ${kernel} is missing: run \`npm run box\` first, or set HALAB_ACCEL=kvm|tcg`);
    accelerator = chooseAccelerator(bootFiles && !process.env.HALAB_ACCEL ? await probeAccelerator(bootFiles.kernel, 15, remote?.lab.onHypervisorHost) : { kvmDevice: 'absent' }, process.env.HALAB_ACCEL);
  }
  return {
    topology,
    accelerator,
    directBoot: bootFiles ? { ...bootFiles, cmdLine: KERNEL_CMDLINE } : undefined,
    libvirt: { storagePool: prefix, managementNetwork: `${prefix}-mgmt`, labNetwork: `${prefix}-lan`, domainPrefix: `${prefix}-`, replicationNetwork: `${prefix}-link` },
    libvirtUri: remote?.lab.libvirtUri ?? LOCAL_LIBVIRT_URI,
    ...(remote && { guestProxyCommand: guestProxyCommand(remote.host) }),
  };
}

/** vagrant's way to a guest through the hypervisor's host: `ssh -W` there, with the run's key and host-key policy. */
export function guestProxyCommand(host: HypervisorHost): string {
  return ['ssh', ...sshArguments(host).map((word) => (/^[\w./=@:-]+$/.test(word) ? word : `'${word}'`)), host.host, '-W', '%h:%p'].join(' ');
}

/** The boot files on the hypervisor's host, copied over SSH when missing or of another size; their paths there. */
async function bootFilesOnHost(lab: Lab, kernel: string, initrd: string, dir: string): Promise<{ kernel: string; initrd: string }> {
  const copy = async (file: string, name: string) => {
    const target = `${dir}/${name}`;
    const there = await lab.onHypervisorHost('stat', ['-c', '%s', target], { reject: false });
    if (there.exitCode === 0 && Number(String(there.stdout).trim()) === statSync(file).size) return target;
    await lab.onHypervisorHost('sh', ['-c', `mkdir -p ${dir} && chmod 755 ${dir} && cat > ${target}.part && chmod 644 ${target}.part && mv ${target}.part ${target}`], { inputFile: file });
    return target;
  };
  return { kernel: await copy(kernel, 'vmlinuz'), initrd: await copy(initrd, 'initrd.img') };
}

/**
 * qemu runs as libvirt's own user and cannot read the box under ~/.vagrant.d (mode 700 for
 * root): it boots copies kept in the world-readable cache instead.
 */
function readableBootFiles(kernel: string, initrd: string): { kernel: string; initrd: string } {
  const dir = join(cacheRoot(), 'boot');
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  const copy = (file: string, name: string) => {
    const target = join(dir, name);
    if (!existsSync(target) || statSync(target).mtimeMs < statSync(file).mtimeMs) copyFileSync(file, target);
    return target;
  };
  return { kernel: copy(kernel, 'vmlinuz'), initrd: copy(initrd, 'initrd.img') };
}
