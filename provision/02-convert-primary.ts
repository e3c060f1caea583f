/**
 * P4–P10 on linux01: the disk that holds the data becomes a DRBD device in place.
 * Back up the first MiB, grow the LV by the metadata, zero the first MiB, create the metadata,
 * force primary, restore the first MiB onto /dev/drbd0 ("the key step that keeps the data").
 * The variants make room for the metadata otherwise: `shrink-fs` shrinks the file system instead
 * of growing the LV, `external-md` puts the metadata on its own LV and leaves the data LV alone.
 * Destructive steps refuse when their precondition does not hold.
 */
import type { Procedure } from './context.js';
import { conversionFacts, createMdStep, drbdConfStep, extendStep, firstMiBIsZero, fsBytes, hasDrbdMetadata, metaLvStep, MiB, upStep, usableKiBWithInternalMetadata } from './drbd-steps.js';
import { StepRefused, type Step, type Transcript } from './step.js';
import { conversionVerdict, describeConversion, drbdState, internalMetadataSectors } from '../harness/index.js';

export function backupFile(p: Procedure): string {
  return `${p.stateDir}/back`;
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

function backupStep(p: Procedure): Step {
  const node = p.primary;
  const back = backupFile(p);
  return {
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
  };
}

function zeroStep(p: Procedure): Step {
  const node = p.primary;
  const back = backupFile(p);
  return {
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
  };
}

/** shrink-fs's P5: the file system gives DRBD the room the LV cannot (no free extents), before P4 backs up its new start. */
function shrinkStep(p: Procedure): Step {
  const node = p.primary;
  const { vg } = p.t.lvm;
  const target = async (t: Transcript) => usableKiBWithInternalMetadata(Number((await t.succeed(node, `blockdev --getsz ${p.lv}`)).trim()));
  return {
    id: 'P5',
    title: `shrink the ext3 file system on ${p.lv} by DRBD's internal metadata, offline (e2fsck -f, resize2fs): ${vg} has no free extents to grow the LV`,
    done: async (t) => {
      if (await hasDrbdMetadata(t, node, p)) return 'DRBD metadata present: the conversion is past this step';
      if (await firstMiBIsZero(t, node, p.lv)) return 'the first MiB is zeroed (P6): the conversion is past this step';
      const fs = await fsBytes(t, node, p.lv);
      const kib = await target(t);
      return fs !== undefined && fs <= kib * 1024 ? `the file system is ${fs / 1024} KiB, within the ${kib} KiB DRBD leaves` : undefined;
    },
    run: async (t) => {
      const sectors = Number((await t.succeed(node, `blockdev --getsz ${p.lv}`)).trim());
      const kib = usableKiBWithInternalMetadata(sectors);
      t.note(`metadata for ${sectors} sectors: ceil(${sectors}/2^18)*8+72 = ${internalMetadataSectors(sectors)} sectors; DRBD leaves ${kib} KiB (4 KiB aligned) for the file system`);
      await t.succeed(node, `vgs --noheadings -o vg_free_count ${vg}`);
      if ((await t.run(node, `grep -q '^/dev/mapper/${vg}-${p.t.lvm.lv} ' /proc/mounts`)).code === 0) {
        throw new StepRefused(`P5: ${p.lv} is mounted: resize2fs shrinks only an unmounted file system`);
      }
      // resize2fs wants a fresh forced check; exit 1 means e2fsck corrected something, which is still a checked file system.
      await t.succeed(node, `e2fsck -f -y ${p.lv}; test $? -le 1`);
      await t.succeed(node, `resize2fs ${p.lv} ${kib}K && dumpe2fs -h ${p.lv} 2>/dev/null | grep -E '^Block (count|size):'`);
      const fs = await fsBytes(t, node, p.lv);
      if (fs === undefined || fs > kib * 1024) throw new Error(`P5: after resize2fs the file system is ${fs} bytes, more than the ${kib} KiB DRBD leaves`);
    },
  };
}

/** external-md's P4: nothing of the data LV is overwritten, so no backup; its checksum shows that it stays as it was. */
function checksumStep(p: Procedure): Step {
  const node = p.primary;
  const sum = `${p.stateDir}/data-lv.sha256`;
  return {
    id: 'P4',
    title: `no backup needed (the metadata goes to ${p.metaLv}): the sha256 of all of ${p.lv} instead, to show the conversion leaves it as it was`,
    done: async (t) => ((await t.run(node, `test -s ${sum}`)).code === 0 ? `${sum} exists` : undefined),
    run: async (t) => {
      await t.succeed(node, `mkdir -p ${p.stateDir} && sha256sum < ${p.lv} | tee ${sum}`);
    },
  };
}

/** external-md: after create-md and up, before anything writes to it, the data LV is byte for byte what it was. */
function unchangedStep(p: Procedure): Step {
  const node = p.primary;
  const sum = `${p.stateDir}/data-lv.sha256`;
  const marker = `${p.stateDir}/data-lv.unchanged`;
  return {
    id: 'P8.2.V5',
    title: `${p.lv} is byte for byte as before create-md and up (external metadata)`,
    done: async (t) => ((await t.run(node, `test -e ${marker}`)).code === 0 ? 'checked already' : undefined),
    run: async (t) => {
      const now = await t.succeed(node, `sha256sum < ${p.lv}`);
      const before = await t.succeed(node, `cat ${sum}`);
      if (now.trim() !== before.trim()) throw new Error(`V5: ${p.lv} changed during create-md/up with external metadata: sha256 ${before.trim()} before, ${now.trim()} after`);
      await t.succeed(node, `touch ${marker}`);
    },
  };
}

function conversionSteps(p: Procedure): Step[] {
  const node = p.primary;
  const { device, resource } = p.t.drbd;
  const back = backupFile(p);
  const configure = [drbdConfStep('P7', p, node), createMdStep('P8.1', p, node), upStep('P8.2', p, node)];
  const primary: Step = {
    id: 'P8.3',
    title: `force ${node.name} primary (8.4: drbdadm primary --force; the guide's drbdsetup -o is gone)`,
    done: async () => ((await drbdState(node, p.t)).role.local === 'Primary' ? 'already Primary' : undefined),
    run: async (t) => {
      await t.succeed(node, `drbdadm primary --force ${resource} && cat /proc/drbd`);
    },
  };
  const restore: Step = {
    id: 'P9',
    title: `restore the first MiB onto ${device} (the key step that keeps the data)`,
    done: async (t) => ((await t.run(node, `cmp -s -n ${MiB} ${device} ${back}`)).code === 0 ? `${device} starts with ${back}` : undefined),
    run: async (t) => {
      if ((await drbdState(node, p.t)).role.local !== 'Primary') throw new StepRefused(`P9: ${node.name} is not Primary: ${device} cannot be written`);
      await t.succeed(node, `dd if=${back} of=${device} bs=1M count=1 oflag=direct status=none && cmp -n ${MiB} ${device} ${back} && blkid ${device}`);
    },
  };
  const restart: Step = {
    id: 'P10',
    title: `restart DRBD (drbdadm down/up, not the init script that waits for the peer forever)`,
    run: async (t) => {
      await t.succeed(node, `drbdadm down ${resource} && drbdadm up ${resource} && cat /proc/drbd`);
    },
  };
  const evidence: Step = {
    id: 'P10.V5',
    title: `evidence after the conversion: ${device} holds the whole file system, e2fsck -fn ${device}, the mount, and every table as before, from MariaDB on ${device}`,
    run: async (t) => {
      await t.succeed(node, `drbdadm primary ${resource}`);
      try {
        const facts = await conversionFacts(t, node, p, { device, mountPoint: p.t.mysql.mountPoint, fsckFile: `${p.stateDir}/fsck-after.txt`, tables: true });
        const verdict = conversionVerdict(facts);
        t.note(`V5: ${describeConversion(verdict)}`);
        if (verdict.verdict !== 'SAFE') throw new Error(`V5: the conversion of ${p.lv} to ${device} is ${describeConversion(verdict)}`);
      } finally {
        await t.run(node, `systemctl stop mariadb; umount ${p.t.mysql.mountPoint}; drbdadm secondary ${resource}`);
      }
    },
  };
  switch (p.variant) {
    case 'shrink-fs':
      return [shrinkStep(p), backupStep(p), zeroStep(p), ...configure, primary, restore, restart, evidence];
    case 'external-md':
      return [checksumStep(p), metaLvStep('P5', p, node), ...configure, unchangedStep(p), primary, restart, evidence];
    default:
      // The final procedure; guide-v1 rehearses its first version on a copy before this (02-guide-v1-on-a-copy.ts).
      return [backupStep(p), extendStep('P5', p, node), zeroStep(p), ...configure, primary, restore, restart, evidence];
  }
}
