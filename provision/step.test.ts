import { describe, expect, it } from 'vitest';
import { refuseUnlessInPlace, runStep, StepRefused, Transcript, type Step } from './step.js';
import { consoleReporter } from '../harness/index.js';

const step = (id: string, inPlace?: boolean): Step => ({
  id, title: `step ${id}`, run: async () => {}, ...(inPlace !== undefined && { done: async () => (inPlace ? 'in place' : undefined) }),
});

describe('refuseUnlessInPlace (--from / --only stand on the steps before)', () => {
  it('passes when every step before that can check itself is in place; steps without a check do not count', async () => {
    await expect(refuseUnlessInPlace([step('P4', true), step('P5'), step('P6', true)], 'P7', new Transcript([]))).resolves.toBeUndefined();
  });

  it('refuses at the first step not in place, naming it, its title and what to run instead', async () => {
    const run = refuseUnlessInPlace([step('P4', true), step('P5', false), step('P6', false)], 'S3', new Transcript([]));
    await expect(run).rejects.toThrow(StepRefused);
    await expect(refuseUnlessInPlace([step('P4', true), step('P5', false)], 'S3', new Transcript([]))).rejects.toThrow(
      'refusing to start at S3: step P5 (step P5) before it is not in place; run without --from/--only, or --until P5 first',
    );
  });
});

describe('runStep', () => {
  const quiet = { ...consoleReporter, step: <T>(_name: string, body: () => Promise<T>) => body(), attach: async () => {} };

  it('skips a step whose effect is in place and says why; records seconds', async () => {
    let ran = false;
    const record = await runStep({ id: 'P4', title: 'back up', done: async () => 'backup exists', run: async () => { ran = true; } }, [], quiet);
    expect(ran).toBe(false);
    expect(record).toMatchObject({ id: 'P4', alreadyInPlace: 'backup exists' });
    expect(record.seconds).toBeGreaterThanOrEqual(0);
  });

  it('a refusal fails the step with its reason', async () => {
    const refused = { id: 'P6', title: 'zero', run: async () => { throw new StepRefused('P6: refusing to zero it'); } };
    await expect(runStep(refused, [], quiet)).rejects.toThrow('P6: refusing to zero it');
  });
});
