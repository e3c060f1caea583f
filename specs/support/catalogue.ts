/** The fault catalogue's shared shape: one scenario per spec file, judged against the accepted findings. */
import { describe, it } from 'vitest';
import { drbdState, holdsNone, recoverSplitBrain, waitFor, type Fault, type Scenario } from '../../harness/index.js';
import { useLab, type Lab } from './fixture.js';
import { expectBlogIntact, expectSignOff, scenario } from './scenario-checks.js';

export interface CatalogueEntry {
  id: string;
  name: string;
  /** What the guide's configuration is expected to do (the issue's words, for the report). */
  expectation: string;
  fault: (lab: Lab) => Fault;
  awaitFailover: boolean;
  /** The fault can leave the disks diverged: recover with DRBD's documented split-brain steps, linux01 the survivor. */
  mayDiverge?: boolean;
}

/**
 * After a divergence, DRBD's manual recovery. The survivor is the node that acknowledged more
 * of the clients' writes since the fault (DRBD's own "discard-least-changes" rule, decided by
 * the ledger); the victim's heartbeat is stopped while its disk is demoted (a named operator
 * step in the history) and started again after, so auto_failback can bring the service home.
 */
async function recoverDivergence(lab: Lab, history: Parameters<NonNullable<Scenario['recover']>>[1]): Promise<void> {
  const { cluster } = lab;
  const faultAt = history.ops({ process: 'nemesis' })[0]?.at ?? 0;
  const acks = new Map<string, number>();
  for (const op of history.ops({ f: 'write', type: 'ok' })) if (op.at >= faultAt && op.node) acks.set(op.node, (acks.get(op.node) ?? 0) + 1);
  const survivor = (acks.get(cluster.secondary.name) ?? 0) > (acks.get(cluster.primary.name) ?? 0) ? cluster.secondary : cluster.primary;
  const victim = survivor === cluster.primary ? cluster.secondary : cluster.primary;
  history.append({ kind: 'note', text: `recovery: since the fault ${[...acks].map(([n, c]) => `${n} acknowledged ${c} write(s)`).join(', ') || 'no write was acknowledged'}; survivor ${survivor.name}` });
  if ((await drbdState(survivor, cluster.topology)).cs === 'Connected') return;
  history.append({ kind: 'note', text: `recovery: operator stops heartbeat on the victim ${victim.name}` });
  await victim.heartbeat.stop();
  await recoverSplitBrain(cluster, history, survivor);
  await cluster.waitInSync(120);
  await victim.heartbeat.start();
  history.append({ kind: 'note', text: `recovery: heartbeat started again on ${victim.name}` });
  // HB-RESTART-1 again: after the restart neither node may acquire the group; hb_takeover is the operator's tool.
  try {
    await waitFor('a node holds the group after the recovery', async () => {
      const held = await cluster.each((node) => cluster.holdings(node));
      if (held.every(holdsNone)) throw new Error('nobody holds anything');
    }, { timeoutSeconds: 90, intervalSeconds: 3 });
  } catch {
    history.append({ kind: 'note', text: `recovery: nobody acquired the group after heartbeat's restart (HB-RESTART-1); operator runs hb_takeover all on ${survivor.name}` });
    await survivor.heartbeat.takeover();
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
        ...(entry.mayDiverge && { recover: (_, history) => recoverDivergence(lab, history) }),
      });
      await expectSignOff(run);
      await expectBlogIntact(lab, `after ${entry.id}`);
    });
  });
}
