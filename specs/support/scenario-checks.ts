/** The verdicts every fault scenario must reach, stated once. */
import * as allure from 'allure-js-commons';
import { expect } from 'vitest';
import { compareEvidence, establishSteadyState, parseEvidence, readEvidence, runFailoverScenario, type ScenarioPlan, type ScenarioResult } from '../../harness/index.js';
import { LEDGER_TABLE } from '../../harness/ledger/writer.js';
import { evidenceBefore } from '../../provision/01-seed-data.js';
import type { Lab } from './fixture.js';

/**
 * A fault scenario from a clean steady state (heartbeat restarted on both, so no scenario
 * inherits what an earlier fault left in heartbeat's memory), reported in Allure whatever it shows.
 */
export async function scenario(lab: Lab, name: string, plan: Pick<ScenarioPlan, 'fault' | 'whileFailedOver' | 'returnPrimary'>): Promise<ScenarioResult> {
  const { primary, secondary } = lab.cluster;
  await allure.step('establish the steady state (heartbeat restarted on both nodes)', () =>
    establishSteadyState(primary, secondary, lab.p.t, { freshHeartbeat: true }));
  const result = await runFailoverScenario({ name, t: lab.p.t, primary, secondary, pool: lab.pool, credentials: lab.credentials, ...plan });
  await reportScenario(name, result);
  return result;
}

/** No acknowledged write lost, none invented, never two owners of the VIP, DRBD Primary or mysqld. */
export function expectSafety(result: ScenarioResult): void {
  expect(result.verdict.lost, 'acknowledged writes missing afterwards (data loss)').toEqual([]);
  expect(result.verdict.unexpected, 'rows present that were never written').toEqual([]);
  expect(result.violations, 'moments where both nodes held the same resource').toEqual([]);
}

/** Every WordPress table matches the evidence taken before the conversion, read through the VIP. */
export async function expectBlogIntact(lab: Lab, where: string): Promise<void> {
  const before = parseEvidence(await evidenceBefore(lab.p));
  const now = (await readEvidence(lab.pool, lab.p.t.mysql.database)).filter((e) => e.table !== LEDGER_TABLE);
  await allure.attachment(`evidence through the VIP (${where})`, now.map((e) => `${e.table}\t${e.rows}\t${e.checksum}`).join('\n'), 'text/tab-separated-values');
  expect(compareEvidence(before, now), `WordPress tables through the VIP ${where}, against the evidence before conversion`).toEqual([]);
}

/** The blog's front page through the VIP: served by `host`, showing the seeded post titles. */
export async function expectBlogServedBy(lab: Lab, host: string): Promise<void> {
  const response = await fetch(`http://${lab.p.t.network.vip}/`, { signal: AbortSignal.timeout(60_000) });
  const html = await response.text();
  await allure.attachment(`front page via the VIP (X-Served-By ${response.headers.get('x-served-by')})`, html.slice(0, 20_000), 'text/html');
  expect(response.status).toBe(200);
  expect(response.headers.get('x-served-by'), 'node that served the page').toBe(host);
  expect(html, 'the newest seeded post title').toContain(`第${lab.p.t.wordpress.posts}篇`);
  expect(html).toContain(lab.p.t.wordpress.title);
}

export async function reportScenario(name: string, result: ScenarioResult): Promise<void> {
  await allure.parameter('RTO (s)', result.rtoSeconds?.toFixed(1) ?? 'service did not fail');
  await allure.parameter('failback outage (s)', result.failbackOutageSeconds.toFixed(1));
  await allure.parameter('resync after return (s)', result.resyncSeconds.toFixed(1));
  await allure.parameter('served after the fault by', result.failoverHost);
  await allure.parameter('ledger', `${result.verdict.acknowledged} acknowledged, ${result.verdict.failed} failed, ${result.verdict.unknown} unknown ` +
    `(${result.verdict.recovered.length} recovered), ${result.verdict.lost.length} lost`);
  await allure.attachment(`${name}: result`, JSON.stringify(result, null, 2), 'application/json');
}
