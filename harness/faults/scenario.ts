import * as allure from 'allure-js-commons';
import type mysql from 'mysql2/promise';
import { drbdState } from '../drbd/drbd.js';
import { describeState, inSync } from '../drbd/proc-drbd.js';
import { describeOwnership, ownership, ownsAll, ownsNone } from '../heartbeat/owners.js';
import { checkLedger, serviceGaps, type LedgerVerdict } from '../ledger/ledger.js';
import { LedgerWriter } from '../ledger/writer.js';
import { servedBy } from '../mysql/vip.js';
import type { LabNode } from '../node/node.js';
import { log } from '../report/log.js';
import { recordMetric } from '../report/metrics.js';
import type { ResolvedTopology } from '../topology/topology.js';
import { waitFor } from '../wait/wait.js';
import { doubleOwnership, OwnerSampler, serviceOwner, timeline, type Violation } from './sampler.js';

/** The service must come back at all within this: the only time bound that fails a spec. */
export const LIVENESS_SECONDS = 240;

export interface ScenarioPlan {
  name: string;
  t: ResolvedTopology;
  primary: LabNode;
  secondary: LabNode;
  pool: mysql.Pool;
  credentials: { user: string; password: string };
  /** The fault, applied to linux01 while the ledger writes. */
  fault: () => Promise<void>;
  /** After the failover is observed: whatever the spec checks while linux02 serves (V2). */
  whileFailedOver?: (servedByHost: string) => Promise<void>;
  /** Brings linux01 back (heartbeat start, or boot + drbd up + heartbeat start). */
  returnPrimary: () => Promise<void>;
}

export interface ScenarioResult {
  /** Who answered on the VIP after the fault. */
  failoverHost: string;
  verdict: LedgerVerdict;
  violations: Violation[];
  rtoSeconds?: number;
  failbackOutageSeconds: number;
  resyncSeconds: number;
  endedOn?: string;
}

/**
 * Fault → failover → return → failback, with the ledger writing and the owner sampler watching
 * throughout. Measures (RTO, failback outage, resync) are recorded, not asserted.
 */
export async function runFailoverScenario(plan: ScenarioPlan): Promise<ScenarioResult> {
  const { t, primary, secondary, name } = plan;
  const sampler = new OwnerSampler(() => [primary, secondary], t);
  const writer = new LedgerWriter(t, plan.credentials, name);
  await LedgerWriter.prepare(plan.pool);
  const started = Date.now();
  sampler.start();
  writer.start();
  try {
    await waitFor('the ledger writes through the VIP', () => {
      if (writer.attempts.filter((a) => a.outcome === 'acknowledged').length < 5) throw new Error('fewer than 5 acknowledged writes');
    }, { timeoutSeconds: 60 });

    const faultAt = Date.now();
    await allure.step(`fault on ${primary.name}`, plan.fault);
    const failoverHost = await allure.step('the service answers on the VIP again', () =>
      waitFor('a server answers on the VIP after the fault', async () => {
        const host = await servedBy(plan.pool);
        if (writer.attempts.at(-1)?.outcome !== 'acknowledged') throw new Error(`VIP answered by ${host} but the last write was not acknowledged`);
        return host;
      }, { timeoutSeconds: LIVENESS_SECONDS, intervalSeconds: 1 }));
    log(name, `after the fault the VIP is served by ${failoverHost}`);
    await plan.whileFailedOver?.(failoverHost);

    const returnAt = Date.now();
    await allure.step(`${primary.name} returns`, plan.returnPrimary);
    await allure.step(`auto_failback: every resource back on ${primary.name}, ${secondary.name} holds none`, () =>
      waitFor(`${primary.name} holds every resource again`, async () => {
        const [p, s] = await Promise.all([ownership(primary, t), ownership(secondary, t)]);
        if (!ownsAll(p, t) || !ownsNone(s)) throw new Error(`${describeOwnership(p)}; ${describeOwnership(s)}`);
      }, { timeoutSeconds: LIVENESS_SECONDS, intervalSeconds: 1 }));
    await allure.step('the secondary resyncs to UpToDate/UpToDate (V4)', () =>
      waitFor('UpToDate/UpToDate', async () => {
        const d = await drbdState(primary, t);
        if (!inSync(d)) throw new Error(describeState(d));
      }, { timeoutSeconds: LIVENESS_SECONDS, intervalSeconds: 1 }));
    const resyncSeconds = (Date.now() - returnAt) / 1000;
    await waitFor('writes acknowledged after failback', () => {
      if (writer.attempts.at(-1)?.outcome !== 'acknowledged') throw new Error('last write not acknowledged');
    }, { timeoutSeconds: 60 });

    const attempts = await writer.stop();
    const samples = await sampler.stop();
    const verdict = checkLedger(attempts, await writer.survivors(plan.pool));
    const violations = doubleOwnership(samples);
    const failover = serviceGaps(attempts.filter((a) => a.at < returnAt), faultAt);
    const failback = serviceGaps(attempts.filter((a) => a.at >= returnAt - 1000), returnAt);
    const result: ScenarioResult = {
      failoverHost, verdict, violations, rtoSeconds: failover.rtoSeconds, failbackOutageSeconds: failback.outageSeconds,
      resyncSeconds, endedOn: serviceOwner(samples),
    };

    await allure.attachment(`${name}: ledger verdict`, JSON.stringify(verdict, null, 2), 'application/json');
    await allure.attachment(`${name}: ledger (id, ms since start, outcome, error)`,
      attempts.map((a) => `${a.id - writer.base}\t${a.at - started}\t${a.outcome}${a.error ? `\t${a.error}` : ''}`).join('\n'), 'text/tab-separated-values');
    await allure.attachment(`${name}: timeline (who held what when)`, timeline(samples, faultAt).join('\n'), 'text/plain');
    if (violations.length) await allure.attachment(`${name}: double ownership`, JSON.stringify(violations, null, 2), 'application/json');
    recordMetric(name, 'failover', {
      rtoSeconds: result.rtoSeconds ?? -1, outageSeconds: failover.outageSeconds, writes: verdict.attempted, lost: verdict.lost.length, unknown: verdict.unknown,
    });
    recordMetric(name, 'failback', { outageSeconds: result.failbackOutageSeconds, resyncSeconds });
    return result;
  } finally {
    await writer.stop();
    await sampler.stop();
  }
}
