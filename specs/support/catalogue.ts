/** The fault catalogue's shared shape: one scenario per spec file, judged against the accepted findings. */
import { describe, it } from 'vitest';
import { recoverSplitBrain, type Fault, type Scenario } from '../../harness/index.js';
import { useLab, type Lab } from './fixture.js';
import { expectBlogIntact, expectSignOff, scenario } from './scenario-checks.js';

export interface CatalogueEntry {
  id: string;
  name: string;
  /** What the guide's configuration is expected to do (the words, for the report). */
  expectation: string;
  fault: (lab: Lab) => Fault;
  awaitFailover: boolean;
  /** The fault can leave the disks diverged: recover with DRBD's documented split-brain steps, linux01 the survivor. */
  mayDiverge?: boolean;
}

/**
 * After a divergence: let heartbeat settle the group on linux01 (auto_failback); if it does not
 * by itself, the operator stops heartbeat on linux02 first (a named step in the history). Then
 * DRBD's manual recovery with linux02 as the victim, and heartbeat back on linux02.
 */
async function recoverOnPrimary(lab: Lab, history: Parameters<NonNullable<Scenario['recover']>>[1]): Promise<void> {
  const { cluster } = lab;
  let stopped = false;
  try {
    await cluster.waitServedBy(cluster.primary.name, 90);
  } catch (error) {
    history.append({ kind: 'note', text: `recovery: the group did not settle on ${cluster.primary.name} by itself (${(error as Error).message.split('\n')[0]}); operator stops heartbeat on ${cluster.secondary.name}` });
    await cluster.secondary.heartbeat.stop();
    stopped = true;
  }
  await recoverSplitBrain(cluster, history, cluster.primary);
  if (stopped) {
    await cluster.secondary.heartbeat.start();
    history.append({ kind: 'note', text: `recovery: heartbeat started again on ${cluster.secondary.name}` });
  }
}

/** Declares the spec file of one catalogue entry. */
export function catalogueSpec(entry: CatalogueEntry): void {
  const lab = useLab();
  describe(`${entry.id}: ${entry.name}`, () => {
    it(`${entry.expectation}: verdicts per property, judged against the accepted findings`, async () => {
      const run = await scenario(lab, {
        id: entry.id,
        name: entry.name,
        fault: entry.fault(lab),
        awaitFailover: entry.awaitFailover,
        endsOn: lab.cluster.primary.name,
        // CI's 90 minutes: a group that has not settled 150 s after the heal and recovery is an outcome.
        settleSeconds: 150,
        ...(entry.mayDiverge && { recover: (_, history) => recoverOnPrimary(lab, history) }),
      });
      await expectSignOff(run);
      await expectBlogIntact(lab, `after ${entry.id}`);
    });
  });
}
