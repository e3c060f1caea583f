/**
 * What D1 and D2 share: power cuts of linux01 in a burst of back-to-back writes, repeated, each
 * repetition a whole scenario, the writes acknowledged in the last second before each cut counted
 * against the final read.
 */
import { expect, inject } from 'vitest';
import { BURST_CUT_NOTE, burstPowerCut, durabilityAtCut, expectedPath, log, pathIn, recordMetric, seededRandom, type CheckResult, type DurabilityAtCut, type ScenarioRun } from '../../harness/index.js';
import type { Lab } from './fixture.js';
import { expectSignOff, scenario } from './scenario-checks.js';

/** HALAB_BURST_REPS: how many cuts, 1-20 (default 3). */
export function burstRepetitions(env: NodeJS.ProcessEnv = process.env): number {
  const text = env.HALAB_BURST_REPS;
  if (text === undefined || text === '') return 3;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 20) throw new Error(`HALAB_BURST_REPS=${JSON.stringify(text)}: must be a whole number of repetitions from 1 to 20 (default 3)`);
  return n;
}

/** The path the fault must take, per profile (outage budgets: about twice the longest measured). */
const PATHS = { guide: expectedPath('linux02', 'no-divergence', 150), hardened: expectedPath('linux02', 'no-divergence', 150, true) };
/**
 * The secondary's cut: linux01 serves on; its writes wait for DRBD to give the dead peer up
 * (ping-timeout, then ko-count), and nothing moves. Whether a STONITH device fences the dead
 * secondary is not judged.
 */
const SECONDARY_PATHS = { guide: expectedPath('none', 'no-divergence', 30), hardened: expectedPath('none', 'no-divergence', 30) };

/** The run's seed (`npm run e2e -- --seed N`, else the clock's): the same seed cuts at the same moments. */
export function burstSeed(): { seed: number; profile: string; random: () => number } {
  const { seed, profile } = inject('run');
  return { seed, profile, random: seededRandom(seed) };
}

/**
 * One repetition: linux01's power cut mid-burst, the failover and the failback, judged against the
 * accepted findings; then the writes acknowledged in its last second before the cut and how many
 * survived, recorded and required to be some (a last second that acknowledged nothing tests nothing).
 * `report` says what the scenario itself must show; `extra`'s checks join the sign-off.
 */
export async function burstRepetition(lab: Lab, id: 'D1' | 'D2', name: string, burst: ReturnType<typeof burstSeed>, report: (run: ScenarioRun, at: DurabilityAtCut | undefined) => void, extra: (run: ScenarioRun) => Promise<CheckResult[]> = async () => [], whom: 'primary' | 'secondary' = 'primary'): Promise<void> {
  const run = await scenario(lab, {
    id,
    name,
    fault: burstPowerCut(burst.random, 2, 8, whom),
    awaitFailover: whom === 'primary',
    endsOn: lab.cluster.primary.name,
    path: pathIn(whom === 'primary' ? PATHS : SECONDARY_PATHS, burst.profile, id),
    writers: { intervalMs: 0 },
  });
  const at = durabilityAtCut(run.history, BURST_CUT_NOTE);
  recordMetric(lab.cluster.reports.metrics, run.name, 'writes acknowledged in the last second before the cut', { seed: burst.seed, acknowledged: at?.acknowledged ?? -1, survived: at?.survived ?? -1 });
  report(run, at);
  await expectSignOff(run, await extra(run));
  expect(at?.acknowledged, 'writes acknowledged in the last second before the cut').toBeGreaterThan(0);
}

/** The log line of a repetition's count. */
export function describeAtCut(rep: number, at: DurabilityAtCut | undefined): string {
  return at
    ? `repetition ${rep}: ${at.acknowledged} write(s) acknowledged in the last second before the cut, ${at.survived} survived${at.lost.length ? ` (lost: ${at.lost.join(', ')})` : ''}`
    : `repetition ${rep}: the cut or the final read was not seen; the ledger checker says so`;
}

export { log };
