import { describe, expect, it } from 'vitest';
import { existingDiskSteps } from './00-existing-disk.js';
import { Transcript } from './step.js';
import { fakeNode, fakeProcedure } from './testing/fake-procedure.js';

const variantStep = (p: ReturnType<typeof fakeProcedure>) => existingDiskSteps(p).find((s) => s.id === 'E2')!;

describe('E2: a kept cluster is carried on only by the variant that built it', () => {
  it('refuses a cluster another variant built, naming the node, both variants and the way out', async () => {
    const p = fakeProcedure('external-md', fakeNode('linux01', [[/cat \/root\/ha-lab\/variant/, { stdout: 'shrink-fs\n' }]]), fakeNode('linux02'));
    await expect(variantStep(p).done!(new Transcript([]))).rejects.toThrow(
      'E2: linux01 was built by the shrink-fs variant (/root/ha-lab/variant), not external-md: rebuild it with `npm run e2e -- --fresh --variant external-md`',
    );
  });

  it('is in place when both nodes carry the variant, and to be run on a new cluster', async () => {
    const on = (text: string) => [fakeNode('linux01', [[/cat \/root\/ha-lab\/variant/, { stdout: text }]]), fakeNode('linux02', [[/cat \/root\/ha-lab\/variant/, { stdout: text }]])] as const;
    expect(await variantStep(fakeProcedure('final', ...on('final\n'))).done!(new Transcript([]))).toBe('final recorded');
    expect(await variantStep(fakeProcedure('final', ...on(''))).done!(new Transcript([]))).toBeUndefined();
  });
});

describe('the environment per variant', () => {
  const ids = (variant: Parameters<typeof fakeProcedure>[0]) => existingDiskSteps(fakeProcedure(variant, fakeNode('linux01'), fakeNode('linux02'))).map((s) => s.id);
  it('shrink-fs alone fills the VG on both nodes (its premise: no free extents)', () => {
    expect(ids('final')).toEqual(['P1', 'P2', 'S1', 'S2', 'E1', 'E1', 'E2']);
    expect(ids('shrink-fs')).toEqual(['P1', 'P2', 'S1', 'S2', 'E1', 'E1', 'E2', 'E3', 'E3']);
  });
});
