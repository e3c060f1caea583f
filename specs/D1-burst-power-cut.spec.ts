/**
 * D1: durability under a burst. linux01 loses power while the writers run back to back, at a
 * moment within the burst drawn from the run's seed, HALAB_BURST_REPS times (default 3); each
 * repetition is a whole scenario (failover, ledger check, failback). With protocol C and the
 * guide's MariaDB settings no acknowledged write may be lost; the scenario's job is to see a
 * loss where the configuration allows one (protocol A, a commit not flushed), by counting the
 * writes acknowledged in the last second before each cut and how many of them survived.
 */
import { describe, expect, it, inject } from 'vitest';
import { BURST_CUT_NOTE, burstPowerCut, durabilityAtCut, expectedPath, log, pathIn, recordMetric, seededRandom } from '../harness/index.js';
import { useLab } from './support/fixture.js';
import { expectSignOff, scenario } from './support/scenario-checks.js';

/** HALAB_BURST_REPS: how many cuts, 1-20 (default 3). */
function repetitions(env: NodeJS.ProcessEnv = process.env): number {
  const text = env.HALAB_BURST_REPS;
  if (text === undefined || text === '') return 3;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 20) throw new Error(`HALAB_BURST_REPS=${JSON.stringify(text)}: must be a whole number of repetitions from 1 to 20 (default 3)`);
  return n;
}

const lab = useLab();
/** The path the fault must take, per profile (outage budgets: about twice the longest measured). */
const PATHS = { guide: expectedPath('linux02', 'no-divergence', 150), hardened: expectedPath('linux02', 'no-divergence', 150, true) };
/** The run's seed (`npm run e2e -- --seed N`, else the clock's): the same seed cuts at the same moments. */
const { seed, profile } = inject('run');
const random = seededRandom(seed);
const reps = repetitions();

describe(`D1: durability under a burst (seed ${seed})`, () => {
  for (let rep = 1; rep <= reps; rep++) {
    it(`repetition ${rep}/${reps}: linux01 loses power mid-burst; every write acknowledged before the cut is on the disk that takes over`, async () => {
      if (rep === 1) log('D1', `seed ${seed}: the same cuts again with npm run e2e -- --seed ${seed}${profile === 'guide' ? '' : ` --profile ${profile}`} D1-`);
      const run = await scenario(lab, {
        id: 'D1',
        name: `burst power cut ${rep} of ${reps}`,
        fault: burstPowerCut(random),
        awaitFailover: true,
        endsOn: lab.cluster.primary.name,
        path: pathIn(PATHS, profile, 'D1'),
        writers: { intervalMs: 0 },
      });
      const at = durabilityAtCut(run.history, BURST_CUT_NOTE);
      recordMetric(lab.cluster.reports.metrics, run.name, 'writes acknowledged in the last second before the cut', { seed, acknowledged: at?.acknowledged ?? -1, survived: at?.survived ?? -1 });
      log('D1', at
        ? `repetition ${rep}: ${at.acknowledged} write(s) acknowledged in the last second before the cut, ${at.survived} survived${at.lost.length ? ` (lost: ${at.lost.join(', ')})` : ''}`
        : `repetition ${rep}: the cut or the final read was not seen; the ledger checker says so`);
      await expectSignOff(run);
      // A burst that acknowledged nothing in its last second tests nothing: the scenario must see writes to lose.
      expect(at?.acknowledged, 'writes acknowledged in the last second before the cut').toBeGreaterThan(0);
    });
  }
});
