import { describe, expect, it } from 'vitest';
import { secondarySteps } from './03-secondary.js';
import { StepRefused, Transcript } from './step.js';
import { fakeNode, fakeProcedure } from './testing/fake-procedure.js';

describe('S4 (zero the first MiB on linux02) refuses without its precondition', () => {
  it('refuses when linux02\'s LV is mounted, naming the file system', async () => {
    const l2 = fakeNode('linux02', [[/blkid -o value -s TYPE/, { stdout: 'ext3\n' }], [/\/proc\/mounts/, { code: 0 }]]);
    const zero = secondarySteps(fakeProcedure('final', fakeNode('linux01'), l2), () => {}).find((s) => s.id === 'S4')!;
    const refusal = zero.run(new Transcript([]));
    await expect(refusal).rejects.toThrow(StepRefused);
    await expect(zero.run(new Transcript([]))).rejects.toThrow('S4: /dev/VG/data is mounted on linux02 (ext3): refusing to zero it');
    expect(l2.asked.some((c) => c.startsWith('dd '))).toBe(false);
  });
});

describe('S5 per variant', () => {
  const s5 = (variant: Parameters<typeof fakeProcedure>[0], l1 = fakeNode('linux01'), l2 = fakeNode('linux02')) =>
    secondarySteps(fakeProcedure(variant, l1, l2), () => {}).find((s) => s.id === 'S5')!;

  it('final grows the LV, external-md makes the metadata LV, shrink-fs only checks the sizes', () => {
    expect(s5('final').title).toMatch(/^lvextend/);
    expect(s5('external-md').title).toMatch(/^lvcreate \/dev\/VG\/drbd-md \(128 MiB/);
    expect(s5('shrink-fs').title).toMatch(/^no lvextend on linux02/);
  });

  it('shrink-fs refuses LVs of different sizes: DRBD would size the device to the smaller', async () => {
    const step = s5('shrink-fs', fakeNode('linux01', [[/blockdev --getsz/, { stdout: '655360\n' }]]), fakeNode('linux02', [[/blockdev --getsz/, { stdout: '720896\n' }]]));
    await expect(step.run(new Transcript([]))).rejects.toThrow('S5: /dev/VG/data is 720896 sectors on linux02 and 655360 on linux01');
  });
});
