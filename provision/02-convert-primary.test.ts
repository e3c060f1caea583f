import { describe, expect, it } from 'vitest';
import { convertPrimarySteps } from './02-convert-primary.js';
import { usableKiBWithInternalMetadata } from './drbd-steps.js';
import { StepRefused, Transcript, type Step } from './step.js';
import { fakeNode, fakeProcedure, PROC_DRBD_UNCONFIGURED, procDrbd } from './testing/fake-procedure.js';

const byId = (steps: Step[], id: string) => steps.find((s) => s.id === id)!;
const transcript = () => new Transcript([]);
/** linux01 before the conversion: nothing of DRBD configured, heartbeat stopped. */
const unconverted = (): [RegExp, { stdout?: string; code?: number }][] => [
  [/cat \/proc\/drbd/, { stdout: PROC_DRBD_UNCONFIGURED }],
  [/systemctl is-active heartbeat/, { code: 3 }],
  [/drbdmeta .* get-gi/, { code: 255 }],
];

describe('the conversion\'s destructive steps refuse without their precondition', () => {
  it('P6 does not zero the first MiB when the backup is missing or differs from it', async () => {
    const l1 = fakeNode('linux01', [...unconverted(), [/cmp -s -n 1048576 \/dev\/VG\/data \/dev\/zero/, { code: 1 }], [/stat -c %s .*back/, { code: 1 }]]);
    const p = fakeProcedure('final', l1, fakeNode('linux02'));
    const zero = byId(convertPrimarySteps(p), 'P6');
    expect(await zero.done!(transcript())).toBeUndefined();
    await expect(zero.run(transcript())).rejects.toThrow(StepRefused);
    await expect(zero.run(transcript())).rejects.toThrow(/back is missing or differs from the first MiB of \/dev\/VG\/data: refusing to zero it/);
    expect(l1.asked.some((c) => c.includes('dd if=/dev/zero'))).toBe(false);
  });

  it('P6 zeroes when the backup holds the first MiB', async () => {
    const l1 = fakeNode('linux01', unconverted());
    const zero = byId(convertPrimarySteps(fakeProcedure('final', l1, fakeNode('linux02'))), 'P6');
    await zero.run(transcript());
    expect(l1.asked.some((c) => c.startsWith('dd if=/dev/zero of=/dev/VG/data bs=1M count=1'))).toBe(true);
  });

  it('P4 refuses to back up a first MiB that is already zeros (the file system\'s start is gone)', async () => {
    const l1 = fakeNode('linux01', [...unconverted(), [/stat -c %s/, { code: 1 }], [/cmp -s -n 1048576 \/dev\/VG\/data \/dev\/zero/, { code: 0 }]]);
    const backup = byId(convertPrimarySteps(fakeProcedure('final', l1, fakeNode('linux02'))), 'P4');
    await expect(backup.run(transcript())).rejects.toThrow(/first MiB of \/dev\/VG\/data is zeros and .*back is missing/);
    expect(l1.asked.some((c) => c.startsWith('dd if=/dev/VG/data'))).toBe(false);
  });

  it('P9 refuses to write /dev/drbd0 while linux01 is not Primary', async () => {
    const l1 = fakeNode('linux01', [[/cat \/proc\/drbd/, { stdout: procDrbd('WFConnection', 'Secondary/Unknown', 'UpToDate/DUnknown') }], ...unconverted()]);
    const restore = byId(convertPrimarySteps(fakeProcedure('final', l1, fakeNode('linux02'))), 'P9');
    await expect(restore.run(transcript())).rejects.toThrow('P9: linux01 is not Primary');
  });

  it('P9 restores the backup onto /dev/drbd0 once linux01 is Primary', async () => {
    const l1 = fakeNode('linux01', [[/cat \/proc\/drbd/, { stdout: procDrbd('WFConnection', 'Primary/Unknown', 'UpToDate/DUnknown') }], ...unconverted()]);
    const restore = byId(convertPrimarySteps(fakeProcedure('final', l1, fakeNode('linux02'))), 'P9');
    await restore.run(transcript());
    expect(l1.asked.some((c) => c.startsWith('dd if=/root/ha-lab/back of=/dev/drbd0'))).toBe(true);
  });

  it('shrink-fs\'s P5 refuses to shrink a mounted file system', async () => {
    const l1 = fakeNode('linux01', [...unconverted(), [/blockdev --getsz/, { stdout: '655360\n' }], [/\/proc\/mounts/, { code: 0 }]]);
    const shrink = byId(convertPrimarySteps(fakeProcedure('shrink-fs', l1, fakeNode('linux02'))), 'P5');
    await expect(shrink.run(transcript())).rejects.toThrow('P5: /dev/VG/data is mounted');
    expect(l1.asked.some((c) => c.startsWith('resize2fs'))).toBe(false);
  });

  it('every conversion step is in place once the peer is attached: none runs again on a converted cluster', async () => {
    const l1 = fakeNode('linux01', [[/cat \/proc\/drbd/, { stdout: procDrbd('Connected', 'Secondary/Secondary', 'UpToDate/UpToDate') }]]);
    for (const step of convertPrimarySteps(fakeProcedure('final', l1, fakeNode('linux02')))) {
      expect(await step.done!(transcript()), step.id).toBe('the peer is attached (cs:Connected)');
    }
  });
});

describe('the variants\' conversion steps', () => {
  const ids = (variant: Parameters<typeof fakeProcedure>[0]) => convertPrimarySteps(fakeProcedure(variant, fakeNode('linux01'), fakeNode('linux02'))).map((s) => s.id);

  it('final grows the LV (P5) between the backup and the zeroing', () => {
    expect(ids('final')).toEqual(['P4', 'P5', 'P6', 'P7', 'P8.1', 'P8.2', 'P8.3', 'P9', 'P10', 'P10.V5']);
  });

  it('shrink-fs shrinks the file system before backing up its (new) first MiB', () => {
    expect(ids('shrink-fs')).toEqual(['P5', 'P4', 'P6', 'P7', 'P8.1', 'P8.2', 'P8.3', 'P9', 'P10', 'P10.V5']);
  });

  it('external-md neither zeroes nor restores: nothing of the data LV is overwritten, and that is checked after up', () => {
    expect(ids('external-md')).toEqual(['P4', 'P5', 'P7', 'P8.1', 'P8.2', 'P8.2.V5', 'P8.3', 'P10', 'P10.V5']);
  });

  it('shrink-fs shrinks to what DRBD leaves of the LV: 327632 KiB of 320 MiB, as measured on /dev/drbd1', () => {
    expect(usableKiBWithInternalMetadata(655360)).toBe(327632);
    // 4 KiB aligned
    expect(usableKiBWithInternalMetadata(655360 + 3) % 4).toBe(0);
  });
});
