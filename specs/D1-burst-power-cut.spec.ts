/**
 * D1: durability under a burst. linux01 loses power while the writers run back to back, at a
 * moment within the burst drawn from the run's seed, HALAB_BURST_REPS times (default 3); each
 * repetition is a whole scenario (failover, ledger check, failback). With protocol C and the
 * guide's MariaDB settings no acknowledged write may be lost; the scenario's job is to see a
 * loss where the configuration allows one (protocol A, a commit not flushed), by counting the
 * writes acknowledged in the last second before each cut and how many of them survived.
 */
import { describe, it } from 'vitest';
import { log } from '../harness/index.js';
import { useLab } from './support/fixture.js';
import { burstRepetition, burstRepetitions, burstSeed, describeAtCut } from './support/burst.js';

const lab = useLab();
const burst = burstSeed();
const reps = burstRepetitions();

describe(`D1: durability under a burst (seed ${burst.seed})`, () => {
  for (let rep = 1; rep <= reps; rep++) {
    it(`repetition ${rep}/${reps}: linux01 loses power mid-burst; every write acknowledged before the cut is on the disk that takes over`, async () => {
      if (rep === 1) log('D1', `seed ${burst.seed}: the same cuts again with npm run e2e -- --seed ${burst.seed}${burst.profile === 'guide' ? '' : ` --profile ${burst.profile}`} D1-`);
      await burstRepetition(lab, 'D1', `burst power cut ${rep} of ${reps}`, burst, (_run, at) => log('D1', describeAtCut(rep, at)));
    });
  }
});
