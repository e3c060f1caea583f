/**
 * The guide's starting point on both nodes: the software installed (P1/P2, S1/S2: in the box),
 * and the "existing disk": a PV on the data disk, VG with 32 MiB extents, LV of 320 MiB.
 */
import type { Procedure } from './context.js';
import { StepRefused, type Step } from './step.js';
import { VARIANTS, type LabNode } from '../harness/index.js';

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

export function variantFile(p: Procedure): string {
  return `${p.stateDir}/variant`;
}

/**
 * The variant is written on both nodes before anything of it is done: a kept cluster built by
 * one variant is never carried on by another (its steps would find the wrong things in place).
 */
function variantRecord(p: Procedure): Step {
  const file = variantFile(p);
  return {
    id: 'E2',
    title: `this cluster is built by the ${p.variant} variant (${file} on both nodes)`,
    done: async (t) => {
      const found = await Promise.all([p.primary, p.secondary].map(async (node) => ({ node, text: (await t.run(node, `cat ${file} 2>/dev/null`)).stdout.trim() })));
      const other = found.find((f) => f.text && f.text !== p.variant);
      if (other) {
        throw new StepRefused(`E2: ${other.node.name} was built by the ${other.text} variant (${file}), not ${p.variant}: rebuild it with \`npm run e2e -- --fresh --variant ${p.variant}\` (or provision -- --fresh)`);
      }
      return found.every((f) => f.text === p.variant) ? `${p.variant} recorded` : undefined;
    },
    run: async (t) => {
      for (const node of [p.primary, p.secondary]) await t.succeed(node, `mkdir -p ${p.stateDir} && echo ${p.variant} > ${file}`);
    },
  };
}

/** shrink-fs's premise: the VG has no free extents, so the LV cannot grow; the rest of VG goes to a spare LV. */
function noFreeExtents(p: Procedure, node: LabNode): Step {
  const { vg } = p.t.lvm;
  const free = async (t: Parameters<NonNullable<Step['done']>>[0]) => Number((await t.succeed(node, `vgs --noheadings -o vg_free_count ${vg}`)).trim());
  return {
    id: 'E3',
    title: `no free extents in ${vg} on ${node.name} (shrink-fs's premise): the rest of ${vg} goes to LV spare`,
    done: async (t) => ((await free(t)) === 0 ? `${vg} has no free extents` : undefined),
    run: async (t) => {
      await t.succeed(node, `lvcreate -y -n spare -l 100%FREE ${vg} && vgs --units m ${vg}`);
      if ((await free(t)) !== 0) throw new Error(`E3: ${vg} on ${node.name} still has free extents`);
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
    variantRecord(p),
    ...(p.variant === 'shrink-fs' ? [noFreeExtents(p, p.primary), noFreeExtents(p, p.secondary)] : []),
  ];
}

/** For the report: what the variant is. */
export const describeVariant = (p: Procedure) => `${p.variant}: ${VARIANTS[p.variant]}`;
