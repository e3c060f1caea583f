import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Every file the harness writes, in one place: the lab's state under `.halab/` (git-ignored,
 * removed by `npm run down`) and the outputs under `reports/`.
 */
export const PROJECT_DIR = fileURLToPath(new URL('../../', import.meta.url)).replace(/\/$/, '');

/** The one source of truth for names, addresses, sizes (the guide's profile). */
export const TOPOLOGY_FILE = join(PROJECT_DIR, 'topology.json');

export const HALAB_DIR = join(PROJECT_DIR, '.halab');
/** Held by the one `npm run e2e`/`provision` running in this checkout (outside .halab/, which a fresh start removes). */
export const RUN_LOCK_FILE = join(PROJECT_DIR, '.halab-run.lock');
/** The validated settings the Vagrantfile reads (HALAB_LAB_JSON). */
export const LAB_SETTINGS_FILE = join(HALAB_DIR, 'lab.json');
/** What the specs need to reach the running cluster: topology, endpoints, domains. */
export const CLUSTER_FILE = join(HALAB_DIR, 'cluster.json');
export const SECRETS_FILE = join(HALAB_DIR, 'secrets.json');
/** The data's fingerprint before the conversion, kept harness-side: readable while linux01 is powered off. */
export const EVIDENCE_BEFORE_FILE = join(HALAB_DIR, 'evidence-before.tsv');

/** Every profile's reports, and what compares them (the side-by-side table). */
export const REPORTS_ROOT = join(PROJECT_DIR, 'reports');
/**
 * This run's reports: the guide's profile at reports/, another profile (HALAB_PROFILE, set by
 * `npm run e2e -- --profile <p>` before anything reads this) at reports/<p>/, so that one run
 * never removes the other's report.
 */
export const REPORTS_DIR = reportsDirOf(process.env.HALAB_PROFILE);
export function reportsDirOf(profile: string | undefined): string {
  return profile && profile !== 'guide' && /^[a-z][a-z0-9-]*$/.test(profile) ? join(REPORTS_ROOT, profile) : REPORTS_ROOT;
}
/** Each profile's last sign-off, kept across runs for the side-by-side table: reports/profiles/<profile>.json. */
export const PROFILE_RESULTS_DIR = join(REPORTS_ROOT, 'profiles');
export const SIDE_BY_SIDE_FILE = join(REPORTS_ROOT, 'side-by-side.md');
export const ALLURE_RESULTS_DIR = join(REPORTS_DIR, 'allure-results');
export const HTML_DIR = join(REPORTS_DIR, 'html');
export const JUNIT_FILE = join(REPORTS_DIR, 'junit.xml');
export const TIMINGS_FILE = join(REPORTS_DIR, 'timings.json');
export const METRICS_FILE = join(REPORTS_DIR, 'metrics.json');
/** One folder per scenario: history.jsonl, timeline.svg, verdict.json. */
export const SCENARIOS_DIR = join(REPORTS_DIR, 'scenarios');
/** What the lab's power switch did during the run (a hardened profile's STONITH), a JSON line each. */
export const POWER_SWITCH_LOG = join(REPORTS_DIR, 'power-switch.jsonl');
export const MUTATION_DIR = join(REPORTS_DIR, 'mutation');
/** The accepted findings of each profile, owned by the operator: acceptance/<profile>.json. */
export const ACCEPTANCE_DIR = join(PROJECT_DIR, 'acceptance');
export const SIGNOFF_FILE = join(REPORTS_DIR, 'signoff.md');
/** What the last procedure run that carried out every step did (kept across runs), and the runbook rendered from it. */
export const PROCEDURE_RECORD_FILE = join(REPORTS_DIR, 'procedure-record.json');
export const RUNBOOK_FILE = join(REPORTS_DIR, 'runbook.md');

/** The record and runbook of a variant's run: the final procedure's are the files above, a variant's carry its name. */
export function runbookFiles(variant: string): { record: string; runbook: string } {
  if (variant === 'final') return { record: PROCEDURE_RECORD_FILE, runbook: RUNBOOK_FILE };
  return { record: join(REPORTS_DIR, `procedure-record-${variant}.json`), runbook: join(REPORTS_DIR, `runbook-${variant}.md`) };
}
