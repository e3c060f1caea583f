/**
 * N1: the nightly run's seeded random fault schedule (`npm run e2e -- --nemesis random --seed N
 * --duration 30m`): faults drawn from the catalogue (which, on which node, how long into the
 * writes, how long they hold), each a catalogue scenario judged against the accepted findings,
 * each followed by a recovery window in which the service must stay settled. The same seed and
 * duration draw the same schedule; it is printed, attached and written to
 * the run's reports folder (nemesis-schedule.json), and a failure prints the command that replays it.
 * Runs only when the run has a schedule: vitest.e2e.config.ts leaves it out otherwise.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as allure from 'allure-js-commons';
import { afterEach, beforeAll, describe, inject, it } from 'vitest';
import { CATALOGUE, type CatalogueEntry, describePlan, GUIDE_PROFILE, log, nemesisChoices, planRandomNemesis, replayCommand } from '../harness/index.js';
import { runCatalogueEntry } from './support/catalogue.js';
import { useLab } from './support/fixture.js';

const lab = useLab();
/** The run context: its seed and the schedule's length draw the faults, known when the tests are collected. */
const { seed, nemesis, variant, profile, reportsDir } = inject('run');
const plan = planRandomNemesis(seed, nemesis?.durationSeconds ?? 1800, nemesisChoices());
const replay = replayCommand(plan, [...(variant === 'final' ? [] : ['--variant', variant]), ...(profile === GUIDE_PROFILE ? [] : ['--profile', profile])]);

beforeAll(async () => {
  log('nemesis', describePlan(plan));
  log('nemesis', `replay: ${replay}`);
  writeFileSync(join(reportsDir, 'nemesis-schedule.json'), `${JSON.stringify({ ...plan, replay }, null, 2)}\n`);
});

afterEach(async (context) => {
  if (context.task.result?.state === 'fail') log('nemesis', `failed; the same schedule again: ${replay}`);
});

describe(`N1: random nemesis, seed ${plan.seed}`, () => {
  for (const fault of plan.faults) {
    const entry: CatalogueEntry = CATALOGUE[fault.id as keyof typeof CATALOGUE];
    const where = fault.target ? ` on ${fault.target}` : '';
    it(`#${fault.n} ${fault.id} ${fault.name}${where}, ${fault.holdSeconds} s after ${fault.leadSeconds} s of writes, then ${fault.recoverySeconds} s settled`, async () => {
      await allure.parameter('seed', String(plan.seed), { excluded: true });
      await allure.parameter('replay', replay, { excluded: true });
      await allure.attachment('the schedule', describePlan(plan), 'text/plain');
      await runCatalogueEntry(lab, entry, {
        name: `${fault.name}${where}, random #${fault.n} of seed ${plan.seed}`,
        ...(fault.target && { target: fault.target }),
        holdSeconds: fault.holdSeconds, leadSeconds: fault.leadSeconds, quietSeconds: fault.recoverySeconds,
      }, { staleFails: false });
    });
  }
});
