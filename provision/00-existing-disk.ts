/**
 * The guide's starting point on both nodes: the software installed (P1/P2, S1/S2: in the box),
 * and the "existing disk": a PV on the data disk, VG with 32 MiB extents, LV of 320 MiB.
 */
import type { Procedure } from './context.js';
import type { Step } from './step.js';
import type { LabNode } from '../harness/index.js';

/** The data disk carries the serial the Vagrantfile gives it. */
export const DATA_DISK = '/dev/disk/by-id/virtio-halab-data';

function installed(id: string, node: LabNode, what: string, packages: string[]): Step {
  return {
    id,
    title: `${what} installed on ${node.name} (${packages.join(', ')})`,
    run: async (t) => {
      const lines = (await t.succeed(node, `dpkg-query -W -f='\${db:Status-Abbrev}\${Package} \${Version}\\n' ${packages.join(' ')}`)).trim().split('\n');
      const missing = packages.filter((pkg) => !lines.some((line) => line.startsWith(`ii ${pkg} `)));
      if (missing.length) throw new Error(`${node.name}: not installed: ${missing.join(', ')}`);
    },
  };
}

function lvmPrecondition(p: Procedure, node: LabNode): Step {
  const { vg, lv, extentMiB, lvMiB } = p.t.lvm;
  return {
    id: 'E1',
    title: `existing disk on ${node.name}: PV on the data disk, VG ${vg} (${extentMiB} MiB extents), LV ${lv} ${lvMiB} MiB`,
    done: async (t) => ((await t.run(node, `lvs --noheadings ${vg}/${lv}`)).code === 0 ? `${p.lv} exists` : undefined),
    run: async (t) => {
      const disk = (await t.succeed(node, `readlink -f ${DATA_DISK}`)).trim();
      await t.succeed(node, `pvcreate -y ${disk} && vgcreate -y -s ${extentMiB}M ${vg} ${disk} && lvcreate -y -n ${lv} -L ${lvMiB}M ${vg}`);
      await t.succeed(node, `lvs --units m ${vg}/${lv} && vgs --units m ${vg}`);
    },
  };
}

export function existingDiskSteps(p: Procedure): Step[] {
  return [
    installed('P1', p.primary, 'heartbeat', ['heartbeat']),
    installed('P2', p.primary, 'DRBD', ['drbd-utils']),
    installed('S1', p.secondary, 'heartbeat', ['heartbeat']),
    installed('S2', p.secondary, 'DRBD', ['drbd-utils']),
    lvmPrecondition(p, p.primary),
    lvmPrecondition(p, p.secondary),
  ];
}
