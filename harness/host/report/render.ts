import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import MarkdownIt from 'markdown-it';
import { log } from '../../support/log.js';
import { HISTORY_DIR } from '../../support/paths.js';
import type { Timings } from './timings.js';

/**
 * The lab's own phases (box, up, destroy) happen outside vitest; they enter the Allure report
 * as one result of their own, with a step per phase, so the sign-off shows what each cost.
 */
export function writeLifecycleResult(resultsDir: string, timings: Timings): void {
  mkdirSync(resultsDir, { recursive: true });
  const spans = Object.entries(timings.spans).filter(([, span]) => span.start !== undefined);
  const failed = spans.find(([, span]) => span.failed);
  const start = Math.min(...spans.map(([, span]) => span.start!));
  const attachment = `${randomUUID()}-attachment.json`;
  writeFileSync(join(resultsDir, attachment), JSON.stringify({ phases: Object.fromEntries(Object.entries(timings.spans).map(([k, v]) => [k, v.seconds])), facts: timings.facts }, null, 2));
  const result = {
    uuid: randomUUID(),
    historyId: 'ha-lab-lifecycle',
    name: 'Lab lifecycle: box, VMs up, destroy',
    fullName: 'ha-lab lifecycle',
    status: failed ? 'failed' : 'passed',
    statusDetails: failed ? { message: `${failed[0]}: ${failed[1].failed}` } : {},
    stage: 'finished',
    start,
    stop: Math.max(...spans.map(([, span]) => span.stop ?? span.start!)),
    labels: [{ name: 'parentSuite', value: 'Lab' }, { name: 'suite', value: 'Lifecycle' }],
    parameters: Object.entries(timings.facts).map(([name, value]) => ({ name, value })),
    steps: spans.map(([phase, span]) => ({
      name: `${phase}: ${span.seconds.toFixed(1)} s`,
      status: span.failed ? 'failed' : 'passed',
      statusDetails: span.failed ? { message: span.failed } : {},
      stage: 'finished',
      start: span.start,
      stop: span.stop,
      steps: [],
      attachments: [],
      parameters: [],
    })),
    attachments: [{ name: 'timings.json', source: attachment, type: 'application/json' }],
  };
  writeFileSync(join(resultsDir, `${result.uuid}-result.json`), JSON.stringify(result));
}

/**
 * The sign-off table as the report's first result (suite "Sign-off"): scenario × property ×
 * verdict, its status failed when any scenario's judgement failed.
 */
export function writeSignoffResult(resultsDir: string, markdown: string, failed: boolean, runStartedAt: number): void {
  writeTableResult(resultsDir, {
    historyId: 'ha-lab-signoff', name: '00 Sign-off: scenario × property × verdict', markdown, at: runStartedAt - 1000,
    failed: failed ? 'a scenario has an unaccepted finding or a stale must-reproduce finding' : undefined,
  });
}

/** The side-by-side table of the profiles (guide vs hardened) as the report's second result. */
export function writeSideBySideResult(resultsDir: string, markdown: string, runStartedAt: number): void {
  writeTableResult(resultsDir, { historyId: 'ha-lab-side-by-side', name: '00 Side by side: the same faults against each profile', markdown, at: runStartedAt - 500 });
}

/**
 * Markdown as HTML for a report's description: markdown-it with raw HTML off, so a finding's `<`
 * or `&` is text, never markup; a table's `\|` stays in its cell. Links to the reports' files
 * (the timelines) say where the file is, as the report has no such path.
 */
export function markdownToHtml(markdown: string): string {
  const md = new MarkdownIt({ html: false, linkify: false });
  return md.render(markdown.replace(/\[timeline\]\(([^)]+)\)/g, 'timeline.svg in reports/$1'));
}

/** A Markdown table as an Allure result of the "Sign-off" suite, rendered as HTML in its description. */
/** One result outside vitest (the audit's rows): its verdict, its findings as labels, its evidence as attachments. */
export function writeCheckResult(resultsDir: string, check: { historyId: string; name: string; suite: string; failed?: string; at: number; findings: string[]; attachments: { name: string; content: string; type: string; ext: string }[] }): void {
  mkdirSync(resultsDir, { recursive: true });
  const attachments = check.attachments.map((a) => {
    const source = `${randomUUID()}-attachment.${a.ext}`;
    writeFileSync(join(resultsDir, source), a.content);
    return { name: a.name, source, type: a.type };
  });
  const result = {
    uuid: randomUUID(), historyId: check.historyId, name: check.name, fullName: `ha-lab ${check.historyId}`,
    status: check.failed ? 'failed' : 'passed', statusDetails: check.failed ? { message: check.failed } : {},
    stage: 'finished', start: check.at, stop: Date.now(),
    labels: [{ name: 'parentSuite', value: 'Audit' }, { name: 'suite', value: check.suite }, ...check.findings.map((f) => ({ name: 'finding', value: f }))],
    parameters: [], steps: [], attachments,
  };
  writeFileSync(join(resultsDir, `${result.uuid}-result.json`), JSON.stringify(result));
}

function writeTableResult(resultsDir: string, table: { historyId: string; name: string; markdown: string; at: number; failed?: string }): void {
  mkdirSync(resultsDir, { recursive: true });
  const attachment = `${randomUUID()}-attachment.md`;
  writeFileSync(join(resultsDir, attachment), table.markdown);
  const html = markdownToHtml(table.markdown);
  // Stamped at the run's start, before every other result: the report lists it first.
  const result = {
    uuid: randomUUID(), historyId: table.historyId, name: table.name, fullName: `ha-lab ${table.historyId}`,
    status: table.failed ? 'failed' : 'passed', statusDetails: table.failed ? { message: table.failed } : {},
    stage: 'finished', start: table.at, stop: table.at, descriptionHtml: html,
    labels: [{ name: 'parentSuite', value: 'Sign-off' }, { name: 'suite', value: 'Sign-off' }],
    parameters: [], steps: [], attachments: [{ name: `${table.name} (Markdown)`, source: attachment, type: 'text/markdown' }],
  };
  writeFileSync(join(resultsDir, `${result.uuid}-result.json`), JSON.stringify(result));
}

/**
 * How the report sorts what failed: by finding id, whether the profile accepts it (a product
 * defect of the configuration under test, or an accepted risk), apart from what stopped the lab
 * itself. The scenario specs label each result with its findings and their outcome.
 */
export const CATEGORIES = {
  rules: [
    {
      id: 'lab-failure', name: 'Lab failure: the harness or the VMs stopped a scenario or a step',
      matchers: [{ statuses: ['failed', 'broken'], labels: { outcome: '^stopped$' } }, { statuses: ['broken'] }],
      groupByMessage: true,
    },
    {
      id: 'product-defect', name: 'Product defect: a finding the profile does not accept',
      matchers: [{ statuses: ['failed'], labels: { outcome: '^unaccepted$' } }],
      groupBy: [{ label: 'finding' }],
    },
    {
      id: 'accepted-risk', name: 'Accepted risk: findings the profile accepts, that showed',
      matchers: [{ statuses: ['passed'], labels: { outcome: '^accepted$' } }],
      groupBy: [{ label: 'finding' }],
    },
  ],
};

/** Where each profile's report history is kept between runs: outside reports/, which a run empties (git-ignored; the nightly workflow carries it). */
export function historyFile(profile: string): string {
  return join(HISTORY_DIR, `${profile}.jsonl`);
}

/** The allure config of a run's report: its name, the profile's history, the run's facts as variables, the categories. */
export function reportConfig(profile: string, facts: Readonly<Record<string, string>>): Record<string, unknown> {
  return {
    name: `ha-lab sign-off, ${profile} profile`, historyPath: historyFile(profile), variables: { ...facts }, categories: CATEGORIES,
    // The results (awesome) and the trends across runs (dashboard); index.html links both.
    plugins: { awesome: { options: {} }, dashboard: { options: {} } },
  };
}

/** Renders reports/html from reports/allure-results with the allure 3 CLI, keeping the profile's history. */
export async function renderReport(reportsDir: string, timings?: Timings, profile = 'guide'): Promise<string> {
  const resultsDir = join(reportsDir, 'allure-results');
  if (timings) writeLifecycleResult(resultsDir, timings);
  if (!existsSync(resultsDir)) throw new Error(`${resultsDir} does not exist: run \`npm run e2e\` first`);
  const htmlDir = join(reportsDir, 'html');
  rmSync(htmlDir, { recursive: true, force: true }); // allure 3 leaves an earlier report's files behind
  // The run's facts: this run's timings, or (re-rendering) the ones the run wrote.
  const timingsFile = join(reportsDir, 'timings.json');
  const facts = timings?.facts ?? (existsSync(timingsFile) ? (JSON.parse(readFileSync(timingsFile, 'utf8')) as { facts?: Record<string, string> }).facts ?? {} : {});
  mkdirSync(HISTORY_DIR, { recursive: true });
  const config = join(reportsDir, 'allurerc.json');
  writeFileSync(config, `${JSON.stringify(reportConfig(profile, facts), null, 2)}\n`);
  await execa('npx', ['allure', 'generate', resultsDir, '--config', config, '--output', htmlDir], { stdin: 'ignore' });
  log('report', `HTML: ${join(htmlDir, 'index.html')} (results: awesome/, trends: dashboard/)  JUnit: ${join(reportsDir, 'junit.xml')}`);
  return htmlDir;
}
