/** What every fault scenario shares: the runner wired to Allure, and the verdicts stated once. */
import * as allure from 'allure-js-commons';
import { expect, inject } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  allureReporter, blogCheck, blogDifferences, loadAcceptance, log, parseEvidence, propertyVerdicts, runScenario, signoffRow, summarize,
  PROJECT_DIR, type CheckResult, type PropertyVerdict, type Scenario, type ScenarioRun,
} from '../../harness/index.js';
import { evidenceBefore } from '../../provision/index.js';
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
  // What this run measured: shown with the result, never part of the test's identity (Allure's history follows a test across runs by it).
  await allure.parameter('start state', `${run.start.from}, ${run.start.seconds.toFixed(1)} s: ${run.start.note}`, { excluded: true });
  await allure.parameter('verdict', run.verdict.valid === true ? 'SAFE' : run.verdict.valid === false ? 'UNSAFE' : 'UNKNOWN', { excluded: true });
  if (run.failoverHost) await allure.parameter('served after the fault by', run.failoverHost, { excluded: true });
  return run;
}

/**
 * The sign-off of one scenario: a verdict per property (data safety, exclusive ownership,
 * availability); every finding behind an UNSAFE or UNKNOWN verdict must be accepted for this
 * scenario in the profile's accepted-findings file, and an accepted finding marked as
 * reproducing every run must have shown. `extra` adds findings the spec itself made (e.g. from
 * heartbeat's log). The row goes to the scenario's folder (signoff.json) for the sign-off table.
 */
/** How a run is judged: a seeded schedule's draw is not the catalogue's, so a must-reproduce finding that did not show is only STALE. */
export interface SignOffOptions {
  staleFails?: boolean;
}

export async function expectSignOff(run: ScenarioRun, extra: CheckResult[] = [], options: SignOffOptions = {}): Promise<void> {
  const acceptance = loadAcceptance(inject('run').acceptanceFile);
  const verdicts = propertyVerdicts(run.verdict, extra);
  const { row, judgement } = signoffRow(run, verdicts, acceptance, options);
  writeFileSync(join(run.directory, 'signoff.json'), JSON.stringify(row, null, 2));
  for (const v of verdicts) {
    const accepted = v.findings.filter((f) => judgement.reproduced.some((a) => a.finding === f.id)).map((f) => f.id);
    await allure.parameter(v.property, `${v.verdict}${v.findings.length ? `: ${v.findings.map((f) => f.id).join(', ')}` : ''}${accepted.length ? ` (accepted: ${accepted.join(', ')})` : ''}`, { excluded: true });
  }
  await labelFindings(run, verdicts, judgement.failures.length > 0);
  for (const stale of judgement.stale) log('sign-off', `${run.id}: STALE ${stale.finding} (accepted in ${acceptance.profile}, did not show this run)${stale.mustReproduce && options.staleFails !== false ? ' — must reproduce: fails the run' : ''}`);
  expect(run.error?.message, `${run.id} ${run.name} stopped before its end`).toBeUndefined();
  // The cause first: vitest may cut the diff of a long list from the message that CI shows.
  expect(judgement.failures, `${run.id} ${run.name}: ${judgement.failures.join('; ')}\nverdict:\n${summarize(run.verdict)}`).toEqual([]);
}


/**
 * Labels for the report's categories and filters: each finding behind a verdict that is not SAFE,
 * linked to its explanation; whether the run stopped (a lab failure), failed on a finding the
 * profile does not accept (a product defect) or passed with accepted ones (an accepted risk);
 * a scenario's severity (critical: it judges data and service), and who owns the verdict.
 */
async function labelFindings(run: ScenarioRun, verdicts: readonly PropertyVerdict[], unaccepted: boolean): Promise<void> {
  const ids = [...new Set(verdicts.filter((v) => v.verdict !== 'SAFE').flatMap((v) => v.findings.map((f) => f.id)))];
  await allure.severity('critical');
  await allure.owner(`the operator (${relative(PROJECT_DIR, inject('run').acceptanceFile)})`);
  await allure.label('outcome', run.error ? 'stopped' : unaccepted ? 'unaccepted' : ids.length ? 'accepted' : 'safe');
  for (const id of ids) {
    await allure.label('finding', id);
    await allure.link(findingLink(id), `${id}: what it means (docs/findings.md)`);
  }
}

/** docs/findings.md from the report's HTML folder (reports/html or reports/<profile>/html), at the finding's entry. */
function findingLink(id: string): string {
  const html = join(inject('run').reportsDir, 'html');
  const anchor = id.toLowerCase().replace(/[^a-z0-9-]/g, '');
  return `${relative(html, join(PROJECT_DIR, 'docs', 'findings.md'))}#${anchor}`;
}

/** The WordPress tables through the VIP against the evidence taken before the conversion. */
async function blogNow(lab: Lab, where: string): Promise<string[]> {
  return blogDifferences(lab.pool, lab.p.t.mysql.database, parseEvidence(await evidenceBefore(lab.p)), where, allureReporter);
}

/** Every WordPress table matches the evidence taken before the conversion, read through the VIP. */
export async function expectBlogIntact(lab: Lab, where: string): Promise<void> {
  expect(await blogNow(lab, where), `WordPress tables through the VIP ${where}, against the evidence before conversion`).toEqual([]);
}

/** The blog as a data-safety check for the sign-off (harness: blogCheck). */
export function blogAfter(lab: Lab, where: string): Promise<CheckResult> {
  return blogCheck(() => blogNow(lab, where), where);
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
