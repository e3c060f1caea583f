/** What every fault scenario shares: the runner wired to Allure, and the verdicts stated once. */
import * as allure from 'allure-js-commons';
import { expect } from 'vitest';
import {
  allureReporter, compareEvidence, LEDGER_TABLE, log, parseEvidence, readEvidence, runScenario, summarize, type Scenario, type ScenarioRun,
} from '../../harness/index.js';
import { evidenceBefore } from '../../provision/01-seed-data.js';
import type { Lab } from './fixture.js';

/**
 * Runs a scenario from a clean steady state, reports what the harness had to do to reach it
 * (a finding, never a silent repair) and the composed verdict, whatever it shows.
 */
export async function scenario(lab: Lab, plan: Scenario): Promise<ScenarioRun> {
  const run = await runScenario({ cluster: lab.cluster, pool: lab.pool, credentials: lab.credentials, report: allureReporter }, plan);
  for (const intervention of run.interventions) {
    log('finding', `${intervention.id}: ${intervention.message}`);
    await allure.label('tag', `finding ${intervention.id}`);
    await allure.step(`finding ${intervention.id}: ${intervention.message}`, () => allure.attachment(`${intervention.id} evidence`, intervention.evidence, 'text/plain'));
  }
  await allure.parameter('start state', `${run.start.from}, ${run.start.seconds.toFixed(1)} s: ${run.start.note}`);
  await allure.parameter('verdict', run.verdict.valid === true ? 'SAFE' : run.verdict.valid === false ? 'UNSAFE' : 'UNKNOWN');
  if (run.failoverHost) await allure.parameter('served after the fault by', run.failoverHost);
  return run;
}

/** The scenario reached its end and every checker says valid: the findings name what is not. */
export function expectSafe(run: ScenarioRun): void {
  expect(run.error?.message, `${run.name} stopped before its end`).toBeUndefined();
  expect(run.verdict.valid, `${run.name} verdict:\n${summarize(run.verdict)}`).toBe(true);
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
