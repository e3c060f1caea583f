/** The fault catalogue's shared shape: one scenario per spec file, judged against the accepted findings. */
import { describe, inject, it } from 'vitest';
import { GUIDE_PROFILE, holdOf, pathIn, recoverDivergence, type CatalogueEntry, type ExpectedPath, type FaultParameters } from '../../harness/index.js';
import { useLab, type Lab } from './fixture.js';
import { blogAfter, expectSignOff, scenario, type SignOffOptions } from './scenario-checks.js';

/** How a seeded schedule runs a catalogue entry: its draw, and the row's name in the sign-off. */
export interface ScheduledRun extends FaultParameters {
  /** The sign-off row's name (the entry's id stays: its accepted findings apply). */
  name: string;
  leadSeconds: number;
  /** The recovery window: seconds the service must stay settled after the heal. */
  quietSeconds: number;
}

/**
 * One catalogue scenario, judged: the entry's fault with the catalogue's parameters, or a
 * schedule's draw. A fault that strikes the standby is not expected to fail over.
 */
export async function runCatalogueEntry(lab: Lab, entry: CatalogueEntry, drawn?: ScheduledRun, signOff?: SignOffOptions): Promise<void> {
  const strikesStandby = drawn?.target !== undefined && drawn.target !== lab.cluster.primary.name;
  const stated = pathIn(entry.paths, lab.cluster.run.profile, entry.id);
  // A fault on the standby moves nothing: no failover; whether a fence follows is not this entry's statement.
  const path: ExpectedPath = strikesStandby ? { ...stated, failover: 'none', fence: undefined } : stated;
  const run = await scenario(lab, {
    id: entry.id,
    name: drawn?.name ?? entry.name,
    fault: entry.fault(drawn),
    holdSeconds: holdOf(entry, drawn),
    awaitFailover: (lab.cluster.run.profile === GUIDE_PROFILE ? entry.awaitFailover : entry.hardenedAwaitsFailover ?? entry.awaitFailover) && !strikesStandby,
    endsOn: lab.cluster.primary.name,
    path,
    // CI's 90 minutes: a group that has not settled 150 s after the heal and recovery is an outcome.
    settleSeconds: 150,
    ...(drawn && { leadSeconds: drawn.leadSeconds, quietSeconds: drawn.quietSeconds }),
    ...(entry.mayDiverge && { recover: recoverDivergence }),
  });
  await expectSignOff(run, [...(entry.checkers ?? []).map((c) => c.check(run.history)), await blogAfter(lab, `after ${entry.id}`)], signOff);
}

/** Declares the spec file of one catalogue entry. */
export function catalogueSpec(entry: CatalogueEntry): void {
  const lab = useLab();
  describe(`${entry.id}: ${entry.name}`, () => {
    // Known when the tests are collected, before the cluster is attached: the run context vitest provides.
    const expected = inject('run').profile === GUIDE_PROFILE ? entry.expectation : entry.hardened;
    it(`${expected}: verdicts per property, judged against the accepted findings`, async () => {
      await runCatalogueEntry(lab, entry);
    });
  });
}
