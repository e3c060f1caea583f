import { describe, expect, it } from 'vitest';
import { selectSteps, type Phase } from './select-steps.js';
import type { Step } from './step.js';

const step = (id: string): Step => ({ id, title: id, run: async () => {} });
const phases: Phase[] = [
  { name: 'environment', steps: [step('E1'), step('P1')] },
  { name: 'convert', steps: [step('P4'), step('P8.1'), step('P8.2'), step('P9')] },
  { name: 'secondary', steps: [step('S7'), step('S7.sync')] },
];
const ids = (steps: Step[]) => steps.map((s) => s.id);

describe('selectSteps', () => {
  it('runs everything by default, nothing before', () => {
    const { steps, before } = selectSteps(phases, {});
    expect(ids(steps)).toEqual(['E1', 'P1', 'P4', 'P8.1', 'P8.2', 'P9', 'S7', 'S7.sync']);
    expect(before).toEqual([]);
  });

  it('--until a step id stops after it and its sub-steps; --from starts at its first', () => {
    expect(ids(selectSteps(phases, { until: 'P8' }).steps)).toEqual(['E1', 'P1', 'P4', 'P8.1', 'P8.2']);
    expect(ids(selectSteps(phases, { until: 'P8.1' }).steps)).toEqual(['E1', 'P1', 'P4', 'P8.1']);
    const from = selectSteps(phases, { from: 'P8' });
    expect(ids(from.steps)).toEqual(['P8.1', 'P8.2', 'P9', 'S7', 'S7.sync']);
    expect(ids(from.before)).toEqual(['E1', 'P1', 'P4']);
    expect(ids(selectSteps(phases, { from: 'P9', until: 'S7' }).steps)).toEqual(['P9', 'S7', 'S7.sync']);
  });

  it('--only runs one phase; the phases before it are what it stands on', () => {
    const { steps, before } = selectSteps(phases, { only: 'convert' });
    expect(ids(steps)).toEqual(['P4', 'P8.1', 'P8.2', 'P9']);
    expect(ids(before)).toEqual(['E1', 'P1']);
    expect(ids(selectSteps(phases, { only: 'convert', from: 'P8.2' }).before)).toEqual(['E1', 'P1', 'P4', 'P8.1']);
  });

  it('refuses unknown names and empty ranges, saying what exists', () => {
    expect(() => selectSteps(phases, { only: 'heartbeat' })).toThrow('--only heartbeat: no such phase; the phases are environment, convert, secondary');
    expect(() => selectSteps(phases, { until: 'P5' })).toThrow('--until P5: no such step; the steps are E1 P1 P4 P8.1 P8.2 P9 S7 S7.sync');
    expect(() => selectSteps(phases, { only: 'secondary', from: 'P4' })).toThrow('--from P4: no such step in phase secondary; the steps are S7 S7.sync');
    expect(() => selectSteps(phases, { from: 'S7', until: 'P4' })).toThrow('--from S7 comes after --until P4: nothing to run');
    expect(() => selectSteps(phases, { until: 'P' })).toThrow('--until P: no such step');
  });
});
