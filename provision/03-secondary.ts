/**
 * S3–S7 on linux02: same drbd.conf, zero the start of its LV, grow it, create the metadata,
 * bring the resource up: it becomes SyncTarget and resyncs until both sides are UpToDate.
 */
import type { Procedure } from './context.js';
import { createMdStep, drbdConfStep, extendStep, hasDrbdMetadata, metaLvStep, upStep } from './drbd-steps.js';
import { StepRefused, type Step } from './step.js';
import { drbdState, describeState, inSync, type DrbdState, log, waitFor } from '../harness/index.js';

export interface SyncMeasurement {
  seconds: number;
  sizeMiB: number;
  mibPerSecond: number;
}

/** Waits until both sides are UpToDate, logging percent, speed and ETA; returns the measurement. */
export async function awaitUpToDate(p: Procedure, timeoutSeconds = 900): Promise<SyncMeasurement> {
  const started = performance.now();
  let lastLogged = 0;
  let last: DrbdState | undefined;
  await waitFor(`${p.secondary.name} and ${p.primary.name} are UpToDate/UpToDate`, async () => {
    last = await drbdState(p.secondary, p.t);
    if (performance.now() - lastLogged > 5000) {
      log('sync', describeState(last));
      lastLogged = performance.now();
    }
    if (!inSync(last)) throw new Error(describeState(last));
  }, { timeoutSeconds, intervalSeconds: 1 });
  const seconds = (performance.now() - started) / 1000;
  // A Secondary's /dev/drbd0 cannot be opened; the backing LV's size is what was resynced (plus 48 KiB of metadata).
  const sizeMiB = Number((await p.secondary.succeed(`blockdev --getsize64 ${p.lv}`)).trim()) / 1024 / 1024;
  return { seconds, sizeMiB, mibPerSecond: sizeMiB / seconds };
}

/** S5 as the variant makes room for the metadata on linux02. */
function roomStep(p: Procedure): Step {
  const node = p.secondary;
  if (p.variant === 'external-md') return metaLvStep('S5', p, node);
  if (p.variant !== 'shrink-fs') return extendStep('S5', p, node);
  // linux02's LV holds no file system: with the LVs the same size, DRBD's usable size matches linux01's.
  return {
    id: 'S5',
    title: `no lvextend on ${node.name} (no free extents): its ${p.lv} is the same size as ${p.primary.name}'s`,
    run: async (t) => {
      const [mine, theirs] = [await t.succeed(node, `blockdev --getsz ${p.lv}`), await t.succeed(p.primary, `blockdev --getsz ${p.lv}`)];
      if (mine.trim() !== theirs.trim()) throw new StepRefused(`S5: ${p.lv} is ${mine.trim()} sectors on ${node.name} and ${theirs.trim()} on ${p.primary.name}: DRBD would size the device to the smaller`);
    },
  };
}

export function secondarySteps(p: Procedure, measured: (m: SyncMeasurement) => void): Step[] {
  const node = p.secondary;
  return [
    drbdConfStep('S3', p, node),
    {
      id: 'S4',
      title: `zero the first MiB of ${p.lv} on ${node.name}`,
      done: async (t) => ((await hasDrbdMetadata(t, node, p)) ? 'DRBD metadata present: past this step' : undefined),
      run: async (t) => {
        // linux02's LV holds no data in the guide; refuse if somebody put a file system there since.
        const fs = (await t.run(node, `blkid -o value -s TYPE ${p.lv}`)).stdout.trim();
        if ((await t.run(node, `grep -q '^/dev/mapper/${p.t.lvm.vg}-${p.t.lvm.lv} ' /proc/mounts`)).code === 0) {
          throw new StepRefused(`S4: ${p.lv} is mounted on ${node.name}${fs ? ` (${fs})` : ''}: refusing to zero it`);
        }
        await t.succeed(node, `dd if=/dev/zero of=${p.lv} bs=1M count=1 oflag=direct status=none && echo zeroed`);
      },
    },
    roomStep(p),
    createMdStep('S6', p, node),
    upStep('S7', p, node),
    {
      id: 'S7.sync',
      title: `${node.name} becomes SyncTarget and resyncs until UpToDate/UpToDate`,
      run: async (t) => {
        const first = await drbdState(node, p.t);
        t.note(`right after up: ${describeState(first)}`);
        const sync = await awaitUpToDate(p);
        t.note(`UpToDate/UpToDate after ${sync.seconds.toFixed(1)} s: ${sync.sizeMiB.toFixed(0)} MiB at ${sync.mibPerSecond.toFixed(1)} MiB/s`);
        await t.succeed(node, 'cat /proc/drbd');
        measured(sync);
      },
    },
  ];
}
