/**
 * P4–P10 on linux01: the disk that holds the data becomes a DRBD device in place.
 * Back up the first MiB, grow the LV by the metadata, zero the first MiB, create the metadata,
 * force primary, restore the first MiB onto /dev/drbd0 ("the key step that keeps the data").
 * Destructive steps refuse when their precondition does not hold.
 */
import { renderDrbdConf } from './config/drbd-conf.js';
import type { Procedure } from './context.js';
import { evidenceBeforeFile, listTables, writeFileCommand } from './01-seed-data.js';
import { StepRefused, type Step, type Transcript } from './step.js';
import { drbdState, planExtension, compareEvidence, evidenceCommand, parseEvidence, type LabNode } from '../harness/index.js';

const MiB = 1024 * 1024;
export const DRBD_CONF = '/etc/drbd.conf';

export function backupFile(p: Procedure): string {
  return `${p.stateDir}/back`;
}

/** DRBD metadata is on the LV: the resource is up, or drbdmeta finds valid v08 metadata. */
export async function hasDrbdMetadata(t: Transcript, node: LabNode, p: Procedure): Promise<boolean> {
  const state = await drbdState(node, p.t);
  if (state.cs !== 'Unconfigured') return true;
  return (await t.run(node, `drbdmeta --force ${p.t.drbd.device} v08 ${p.lv} internal get-gi`)).code === 0;
}

async function firstMiBIsZero(t: Transcript, node: LabNode, device: string): Promise<boolean> {
  return (await t.run(node, `cmp -s -n ${MiB} ${device} /dev/zero`)).code === 0;
}

/** P5/S5: grow the LV by whole extents that cover DRBD's internal metadata. */
export function extendStep(id: string, p: Procedure, node: LabNode): Step {
  const { vg, extentMiB, lvMiB } = p.t.lvm;
  const plan = () => planExtension(lvMiB * 2048, extentMiB, Number.MAX_SAFE_INTEGER);
  return {
    id,
    title: `lvextend ${p.lv} by the DRBD metadata size, in whole ${extentMiB} MiB extents`,
    done: async (t) => {
      const sectors = Number((await t.succeed(node, `blockdev --getsz ${p.lv}`)).trim());
      return sectors >= plan().newSizeSectors ? `${p.lv} is ${sectors / 2048} MiB already` : undefined;
    },
    run: async (t) => {
      const sectors = Number((await t.succeed(node, `blockdev --getsz ${p.lv}`)).trim());
      const free = Number((await t.succeed(node, `vgs --noheadings -o vg_free_count ${vg}`)).trim());
      const { metadataSectors, extents, newSizeSectors } = planExtension(sectors, extentMiB, free);
      t.note(`metadata for ${sectors} sectors: ceil(${sectors}/2^18)*8+72 = ${metadataSectors} sectors (${metadataSectors / 2} KiB); ` +
        `adding ${extents} extent(s) of ${extentMiB} MiB → ${newSizeSectors / 2048} MiB`);
      await t.succeed(node, `lvextend -l +${extents} ${p.lv}`);
    },
  };
}

/** P7/S3: the same drbd.conf on both nodes. */
export function drbdConfStep(id: string, p: Procedure, node: LabNode): Step {
  return {
    id,
    title: `write ${DRBD_CONF} (resource ${p.t.drbd.resource}, protocol ${p.t.drbd.protocol}) on ${node.name}`,
    run: async (t) => {
      await t.succeed(node, `${writeFileCommand(DRBD_CONF)} && drbdadm dump ${p.t.drbd.resource} > /dev/null`, { stdin: renderDrbdConf(p.t) });
    },
  };
}

/** P8/S6: create-md without a TTY: --force answers the question it would ask; its words are kept. */
export function createMdStep(id: string, p: Procedure, node: LabNode): Step {
  return {
    id,
    title: `drbdadm create-md ${p.t.drbd.resource} on ${node.name}`,
    done: async (t) => ((await hasDrbdMetadata(t, node, p)) ? 'DRBD metadata present' : undefined),
    run: async (t) => {
      await t.succeed(node, `mkdir -p ${p.stateDir} && drbdadm create-md --force ${p.t.drbd.resource} 2>&1 | tee ${p.stateDir}/create-md.txt`);
    },
  };
}

export function upStep(id: string, p: Procedure, node: LabNode): Step {
  return {
    id,
    title: `drbdadm up ${p.t.drbd.resource} on ${node.name}`,
    done: async () => ((await drbdState(node, p.t)).cs !== 'Unconfigured' ? 'resource is up' : undefined),
    run: async (t) => {
      await t.succeed(node, `modprobe drbd && drbdadm up ${p.t.drbd.resource} && cat /proc/drbd`);
    },
  };
}

/** Once the peer has attached (or heartbeat runs), the conversion is over: none of its steps may run again. */
async function pastConversion(t: Transcript, p: Procedure): Promise<string | undefined> {
  const state = await drbdState(p.primary, p.t);
  if (state.cs !== 'Unconfigured' && state.cs !== 'WFConnection' && state.cs !== 'StandAlone') return `the peer is attached (cs:${state.cs})`;
  if ((await t.run(p.primary, 'systemctl is-active heartbeat')).code === 0) return 'heartbeat owns DRBD now';
  return undefined;
}

export function convertPrimarySteps(p: Procedure): Step[] {
  return conversionSteps(p).map((step) => ({
    ...step,
    done: async (t) => (await pastConversion(t, p)) ?? (await step.done?.(t)),
  }));
}

function conversionSteps(p: Procedure): Step[] {
  const node = p.primary;
  const { device, resource } = p.t.drbd;
  const back = backupFile(p);
  return [
    {
      id: 'P4',
      title: `back up the first MiB of ${p.lv} to ${back}`,
      done: async (t) => ((await t.run(node, `test "$(stat -c %s ${back} 2>/dev/null)" = ${MiB}`)).code === 0 ? `${back} exists` : undefined),
      run: async (t) => {
        if (await firstMiBIsZero(t, node, p.lv)) {
          throw new StepRefused(`P4: the first MiB of ${p.lv} is zeros and ${back} is missing: the file system's start is already gone; restore it from a backup`);
        }
        await t.succeed(node, `mkdir -p ${p.stateDir} && blkid ${p.lv}`);
        await t.succeed(node, `dd if=${p.lv} of=${back} bs=1M count=1 status=none && sha256sum ${back} && ls -l ${back}`);
      },
    },
    extendStep('P5', p, node),
    {
      id: 'P6',
      title: `zero the first MiB of ${p.lv}`,
      done: async (t) => {
        if (await hasDrbdMetadata(t, node, p)) return 'DRBD metadata present: the conversion is past this step';
        return (await firstMiBIsZero(t, node, p.lv)) ? 'first MiB already zero' : undefined;
      },
      run: async (t) => {
        // Never destroy a superblock that the backup does not hold.
        const same = (await t.run(node, `test "$(stat -c %s ${back} 2>/dev/null)" = ${MiB} && cmp -s -n ${MiB} ${p.lv} ${back}`)).code === 0;
        if (!same) throw new StepRefused(`P6: ${back} is missing or differs from the first MiB of ${p.lv}: refusing to zero it`);
        await t.succeed(node, `dd if=/dev/zero of=${p.lv} bs=1M count=1 oflag=direct status=none && cmp -n ${MiB} ${p.lv} /dev/zero && echo zeroed`);
      },
    },
    drbdConfStep('P7', p, node),
    createMdStep('P8.1', p, node),
    upStep('P8.2', p, node),
    {
      id: 'P8.3',
      title: `force ${node.name} primary (8.4: drbdadm primary --force; the guide's drbdsetup -o is gone)`,
      done: async () => ((await drbdState(node, p.t)).role.local === 'Primary' ? 'already Primary' : undefined),
      run: async (t) => {
        await t.succeed(node, `drbdadm primary --force ${resource} && cat /proc/drbd`);
      },
    },
    {
      id: 'P9',
      title: `restore the first MiB onto ${device} (the key step that keeps the data)`,
      done: async (t) => ((await t.run(node, `cmp -s -n ${MiB} ${device} ${back}`)).code === 0 ? `${device} starts with ${back}` : undefined),
      run: async (t) => {
        if ((await drbdState(node, p.t)).role.local !== 'Primary') throw new StepRefused(`P9: ${node.name} is not Primary: ${device} cannot be written`);
        await t.succeed(node, `dd if=${back} of=${device} bs=1M count=1 oflag=direct status=none && cmp -n ${MiB} ${device} ${back} && blkid ${device}`);
      },
    },
    {
      id: 'P10',
      title: `restart DRBD (drbdadm down/up, not the init script that waits for the peer forever)`,
      run: async (t) => {
        await t.succeed(node, `drbdadm down ${resource} && drbdadm up ${resource} && cat /proc/drbd`);
      },
    },
    {
      id: 'P10.V5',
      title: `evidence after the conversion: e2fsck -fn ${device}, and every table as before, from MariaDB on ${device}`,
      run: async (t) => {
        const { mountPoint, database } = p.t.mysql;
        await t.succeed(node, `drbdadm primary ${resource}`);
        try {
          await t.succeed(node, `e2fsck -fn ${device} 2>&1 | tee ${p.stateDir}/fsck-after.txt`);
          await t.succeed(node, `mkdir -p ${mountPoint} && mount ${device} ${mountPoint} && systemctl start mariadb`);
          const after = parseEvidence(await t.succeed(node, evidenceCommand(database, await listTables(t, node, database))));
          const before = parseEvidence(await t.succeed(node, `cat ${evidenceBeforeFile(p)}`));
          const differences = compareEvidence(before, after);
          if (differences.length) {
            t.note(`MISMATCH after conversion:\n${differences.join('\n')}`);
            throw new Error(`V5: tables differ after the conversion on ${device}: ${differences.join('; ')}`);
          }
        } finally {
          await t.run(node, `systemctl stop mariadb; umount ${mountPoint}; drbdadm secondary ${resource}`);
        }
      },
    },
  ];
}
