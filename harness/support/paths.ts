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

/** Every profile's reports (each run's own folder: config/run-context.ts), and what compares them. */
export const REPORTS_ROOT = join(PROJECT_DIR, 'reports');
/** Each profile's last sign-off, kept across runs for the side-by-side table: reports/profiles/<profile>.json. */
export const PROFILE_RESULTS_DIR = join(REPORTS_ROOT, 'profiles');
export const SIDE_BY_SIDE_FILE = join(REPORTS_ROOT, 'side-by-side.md');
/** Each profile's Allure history between runs (trend, each test's past results): outside reports/, which every run empties. */
export const HISTORY_DIR = join(PROJECT_DIR, '.allure-history');
/** Each spec file's measured seconds, kept in the repository for dealing the specs out over shards (`npm run report -- --durations`). */
export const DURATIONS_FILE = join(PROJECT_DIR, 'specs', 'durations.json');
/** The JSON Schemas of the files an operator edits, generated from harness/config/schemas.ts. */
export const SCHEMAS_DIR = join(PROJECT_DIR, 'schemas');
/** The accepted findings of each profile, owned by the operator: acceptance/<profile>.json. */
export const ACCEPTANCE_DIR = join(PROJECT_DIR, 'acceptance');
