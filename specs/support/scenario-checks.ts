/** What every fault scenario shares: the runner wired to Allure, and the verdicts stated once. */
import * as allure from 'allure-js-commons';
import { expect, inject } from 'vitest';
import { writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import {
  allureReporter, availability, compareEvidence, countLedger, describePath, judge, LEDGER_TABLE, loadAcceptance, log, parseEvidence, propertyVerdicts,
  readEvidence, rtoBreakdownOf, runScenario, summarize, waitFor, type CheckResult, type Scenario, type ScenarioRun, type SignoffRow,
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
  await allure.parameter('start state', `${run.start.from}, ${run.start.seconds.toFixed(1)} s: ${run.start.note}`);
  await allure.parameter('verdict', run.verdict.valid === true ? 'SAFE' : run.verdict.valid === false ? 'UNSAFE' : 'UNKNOWN');
  if (run.failoverHost) await allure.parameter('served after the fault by', run.failoverHost);
  return run;
}

/**
 * The sign-off of one scenario: a verdict per property (data safety, exclusive ownership,
 * availability); every finding behind an UNSAFE or UNKNOWN verdict must be accepted for this
 * scenario in the profile's accepted-findings file, and an accepted finding marked as
 * reproducing every run must have shown. `extra` adds findings the spec itself made (e.g. from
 * heartbeat's log). The row goes to reports/scenarios/<…>/signoff.json for the sign-off table.
 */
/** How a run is judged: a seeded schedule's draw is not the catalogue's, so a must-reproduce finding that did not show is only STALE. */
export interface SignOffOptions {
  staleFails?: boolean;
}

export async function expectSignOff(run: ScenarioRun, extra: CheckResult[] = [], options: SignOffOptions = {}): Promise<void> {
  const acceptance = loadAcceptance(inject('run').acceptanceFile);
  const verdicts = propertyVerdicts(run.verdict, extra);
  const judgement = judge(run.id, verdicts, acceptance, options);
  const figures = availability(run.history);
  const { counts, finalRead } = countLedger(run.history);
  const row: SignoffRow = {
    id: run.id, name: run.name, profile: acceptance.profile, verdicts,
    figures: {
      writesLost: finalRead ? counts.lost.length : undefined, writesAcknowledged: counts.acknowledged, rtoSeconds: figures.rtoSeconds,
      longestOutageSeconds: figures.longestOutageSeconds, splitBrain: verdicts.some((v) => v.findings.some((f) => f.id === 'SPLIT-BRAIN')),
      rtoBreakdown: rtoBreakdownOf(run.verdict), outageBudgetSeconds: run.path.outageBudgetSeconds,
    },
    path: describePath(run.path),
    judgement: { failures: judgement.failures, reproduced: judgement.reproduced.map((a) => a.finding), stale: judgement.stale.map((a) => a.finding) },
    timeline: `scenarios/${basename(run.directory)}/timeline.svg`,
    startedFrom: `${run.start.from} (${run.start.seconds.toFixed(1)} s)`,
    error: run.error?.message.split('\n')[0],
  };
  writeFileSync(join(run.directory, 'signoff.json'), JSON.stringify(row, null, 2));
  for (const v of verdicts) {
    const accepted = v.findings.filter((f) => judgement.reproduced.some((a) => a.finding === f.id)).map((f) => f.id);
    await allure.parameter(v.property, `${v.verdict}${v.findings.length ? `: ${v.findings.map((f) => f.id).join(', ')}` : ''}${accepted.length ? ` (accepted: ${accepted.join(', ')})` : ''}`);
  }
  for (const stale of judgement.stale) log('sign-off', `${run.id}: STALE ${stale.finding} (accepted in ${acceptance.profile}, did not show this run)${stale.mustReproduce && options.staleFails !== false ? ' — must reproduce: fails the run' : ''}`);
  expect(run.error?.message, `${run.id} ${run.name} stopped before its end`).toBeUndefined();
  expect(judgement.failures, `${run.id} ${run.name} verdict:\n${summarize(run.verdict)}`).toEqual([]);
}


async function blogDifferences(lab: Lab, where: string): Promise<string[]> {
  const before = parseEvidence(await evidenceBefore(lab.p));
  const now = (await readEvidence(lab.pool, lab.p.t.mysql.database)).filter((e) => e.table !== LEDGER_TABLE);
  await allure.attachment(`evidence through the VIP (${where})`, now.map((e) => `${e.table}\t${e.rows}\t${e.checksum}`).join('\n'), 'text/tab-separated-values');
  return compareEvidence(before, now);
}

/** Every WordPress table matches the evidence taken before the conversion, read through the VIP. */
export async function expectBlogIntact(lab: Lab, where: string): Promise<void> {
  expect(await blogDifferences(lab, where), `WordPress tables through the VIP ${where}, against the evidence before conversion`).toEqual([]);
}

/**
 * The same comparison as a data-safety check for the sign-off: BLOG-CHANGED (UNSAFE) when a
 * table differs, BLOG-UNREAD (UNKNOWN) when the VIP does not answer MySQL for `seconds`.
 */
export async function blogCheck(lab: Lab, where: string, seconds = 90): Promise<CheckResult> {
  const checker = `data safety: WordPress tables through the VIP ${where}`;
  let differences: string[];
  try {
    differences = await waitFor(`the VIP answers MySQL ${where}`, () => blogDifferences(lab, where), { timeoutSeconds: seconds, intervalSeconds: 3 });
  } catch (error) {
    return { checker, valid: 'unknown', evidence: {}, findings: [{ id: 'BLOG-UNREAD', message: `the WordPress tables could not be read through the VIP ${where}: ${(error as Error).message.split('\n')[0]}` }] };
  }
  const findings = differences.length ? [{ id: 'BLOG-CHANGED', message: `WordPress tables ${where} differ from the evidence before conversion`, evidence: differences }] : [];
  return { checker, valid: !differences.length, evidence: { differences }, findings };
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
