import { copyFileSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { chooseAccelerator, probeAccelerator, type AcceleratorChoice } from '../accel/accel.js';
import { cacheRoot, installedBoxDir } from '../box/box.js';
import { loadTopology, type ResolvedTopology } from '../../config/topology.js';
import type { VolatileDiskPlan } from '../lab/volatile-disks.js';

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
}

export const KERNEL_CMDLINE = 'root=/dev/vda rw console=ttyS0 net.ifnames=0 biosdevname=0 quiet';

export async function labSettings(topology = loadTopology(), accelerator?: AcceleratorChoice): Promise<LabSettings> {
  const boxDir = installedBoxDir(topology.box.name);
  const kernel = join(boxDir, 'vmlinuz');
  const initrd = join(boxDir, 'initrd.img');
  const hasKernel = existsSync(kernel) && existsSync(initrd);
  if (!accelerator) {
    if (!hasKernel && !process.env.HALAB_ACCEL)
      throw new Error(`the accelerator probe boots the box's kernel, but ${kernel} is missing: run \`npm run box\` first, or set HALAB_ACCEL=kvm|tcg`);
    accelerator = chooseAccelerator(hasKernel && !process.env.HALAB_ACCEL ? await probeAccelerator(kernel) : { kvmDevice: 'absent' }, process.env.HALAB_ACCEL);
  }
  const prefix = topology.prefix;
  return {
    topology,
    accelerator,
    directBoot: hasKernel ? { ...readableBootFiles(kernel, initrd), cmdLine: KERNEL_CMDLINE } : undefined,
    libvirt: { storagePool: prefix, managementNetwork: `${prefix}-mgmt`, labNetwork: `${prefix}-lan`, domainPrefix: `${prefix}-`, replicationNetwork: `${prefix}-link` },
  };
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
