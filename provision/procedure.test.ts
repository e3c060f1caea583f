import { describe, expect, it } from 'vitest';
import { procedurePhases, stepIds } from './procedure.js';
import { selectSteps } from './select-steps.js';
import { fakeNode, fakeProcedure } from './testing/fake-procedure.js';

const phasesOf = (variant: Parameters<typeof fakeProcedure>[0]) => procedurePhases(fakeProcedure(variant, fakeNode('linux01'), fakeNode('linux02')));

describe('procedurePhases per variant', () => {
  it('guide-v1 rehearses its first version on a copy between the seeding and the final conversion', () => {
    expect(phasesOf('final').map((ph) => ph.name)).toEqual(['environment', 'seed', 'convert', 'secondary', 'heartbeat']);
    expect(phasesOf('guide-v1').map((ph) => ph.name)).toEqual(['environment', 'seed', 'guide-v1', 'convert', 'secondary', 'heartbeat']);
    expect(selectSteps(phasesOf('guide-v1'), { only: 'guide-v1' }).steps.map((s) => s.id)).toEqual(
      ['P3.v1', 'P7.v1', 'P8.v1-refused', 'P4.v1', 'P6.v1', 'P8.v1', 'P9.v1', 'P10.v1', 'P10.V5.v1'],
    );
  });

  it('every variant ends with heartbeat started, and names each of its steps by a guide step id', () => {
    for (const variant of ['final', 'guide-v1', 'shrink-fs', 'external-md'] as const) {
      const ids = stepIds(phasesOf(variant));
      expect(ids.at(-1), variant).toBe('H.start');
      for (const id of ids) expect(id, variant).toMatch(/^(E\d|P\d+|S\d|H\d?)/);
    }
  });
});
