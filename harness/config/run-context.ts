import { basename, join, resolve } from 'node:path';
import { ACCEPTANCE_DIR, REPORTS_ROOT } from '../support/paths.js';
import { GUIDE_PROFILE, parseProfileName } from './profile.js';
import { parseVariant, type Variant } from './variant.js';
import { LOCAL_LIBVIRT_URI, parseLibvirtUri } from './libvirt-uri.js';

/**
 * What one run is, decided once by the CLI from its arguments and written into the cluster file,
 * where the specs and the procedure read it (as Jepsen's test map): nothing else reads a
 * profile, a variant or a reports folder from the environment or at import time.
 */
export interface RunContext {
  /** The configuration profile: the guide's, or a topology.<name>.json beside topology.json. */
  profile: string;
  /** The guide's way of making room for DRBD's metadata that the procedure carries out. */
  variant: Variant;
  /** This run's reports: reports/ for the guide's profile, reports/<profile>/ for another. */
  reportsDir: string;
  /** The accepted findings the verdicts are judged against: acceptance/<profile>.json. */
  acceptanceFile: string;
  /** What the run's random choices are drawn from (D1's cut moments, N1's schedule): `--seed`, or the clock's; printed, to replay them. */
  seed: number;
  /** The seeded random fault schedule, when the run has one (`--nemesis random`). */
  nemesis?: { durationSeconds: number };
  /** The operator's own configuration directory deployed instead of the rendered files (`--config`), as given. */
  config?: string;
  /** This run is one shard of several (`--shard i/n`): its reports go to <reports>/shard-<i>-of-<n>/. */
  shard?: { index: number; count: number };
  /**
   * The VMs' data disks (`--disks`): `durable`, files whose every write survives a power cut of the
   * VM (the host keeps them); `volatile`, behind a write cache that a power cut empties (D2).
   */
  disks: DiskMode;
  /** Another host's libvirt the VMs run on, reached over SSH (`--libvirt-uri`, HALAB_LIBVIRT_URI); absent: this machine's. */
  libvirtUri?: string;
}

export const DISK_MODES = {
  durable: 'every write the guest made survives a power cut of its VM (the host keeps it); snapshot resets',
  volatile: 'a write cache in front of the data disk, emptied by a power cut: only what the guest flushed survives (D2); no snapshot resets',
} as const;

export type DiskMode = keyof typeof DISK_MODES;

/** A disk mode by name; an unknown one refused with the known ones. */
export function parseDiskMode(value: unknown, source = '--disks'): DiskMode {
  if (value === undefined || value === '') return 'durable';
  if (typeof value === 'string' && Object.hasOwn(DISK_MODES, value)) return value as DiskMode;
  throw new Error(`${source} ${JSON.stringify(value)}: the data disks are ${Object.entries(DISK_MODES).map(([name, what]) => `${name} (${what})`).join(' or ')}`);
}

/** Where a profile's reports go: the guide's at reports/, another's at reports/<profile>/, so that one run never removes the other's. */
export function reportsDirOf(profile: string): string {
  return profile === GUIDE_PROFILE ? REPORTS_ROOT : join(REPORTS_ROOT, profile);
}

/** Where an operator configuration's reports go: reports/config-<its directory's name>/, beside the profiles'. */
export function reportsDirOfConfig(dir: string): string {
  return join(REPORTS_ROOT, `config-${basename(resolve(dir))}`);
}

/**
 * The run context of a profile and variant, with the folders that follow from them. An operator's
 * configuration (`config`) brings its own acceptance file and reports folder.
 */
export function runContext(options: { profile?: string; variant?: Variant; seed?: number; nemesis?: RunContext['nemesis']; config?: string; shard?: RunContext['shard']; disks?: DiskMode; libvirtUri?: string } = {}): RunContext {
  const profile = options.profile ?? GUIDE_PROFILE;
  // A run on volatile disks is one of its own (D2): its reports beside the profile's, never over them.
  const reports = join(options.config ? reportsDirOfConfig(options.config) : reportsDirOf(profile), options.disks === 'volatile' ? VOLATILE_REPORTS : '');
  return {
    profile,
    variant: options.variant ?? 'final',
    reportsDir: options.shard ? join(reports, `shard-${options.shard.index}-of-${options.shard.count}`) : reports,
    acceptanceFile: options.config ? join(resolve(options.config), 'acceptance.json') : join(ACCEPTANCE_DIR, `${profile}.json`),
    seed: options.seed ?? Date.now() % 4294967296,
    ...(options.nemesis && { nemesis: options.nemesis }),
    ...(options.config && { config: options.config }),
    ...(options.shard && { shard: options.shard }),
    disks: options.disks ?? 'durable',
    ...(options.libvirtUri && options.libvirtUri !== LOCAL_LIBVIRT_URI && { libvirtUri: parseLibvirtUri(options.libvirtUri).uri }),
  };
}

/** A run context read back from the cluster file, checked field by field: a stale or hand-edited file is refused naming the field. */
export function parseRunContext(raw: unknown, source: string): RunContext {
  const run = raw as Partial<Record<keyof RunContext, unknown>> | undefined;
  if (!run || typeof run !== 'object') throw new Error(`${source}: no run context (written by an older harness?); start the run with \`npm run e2e\``);
  const text = (field: 'reportsDir' | 'acceptanceFile') => {
    if (typeof run[field] !== 'string' || !run[field]) throw new Error(`${source}.${field} = ${JSON.stringify(run[field])} is not a path; start the run with \`npm run e2e\``);
    return run[field] as string;
  };
  if (!Number.isInteger(run.seed) || (run.seed as number) < 0 || (run.seed as number) > 4294967295) throw new Error(`${source}.seed = ${JSON.stringify(run.seed)} is not a seed (a whole number from 0 to 4294967295)`);
  const nemesis = run.nemesis as { durationSeconds?: unknown } | undefined;
  if (nemesis !== undefined && !(typeof nemesis.durationSeconds === 'number' && nemesis.durationSeconds > 0)) {
    throw new Error(`${source}.nemesis = ${JSON.stringify(nemesis)} is not { durationSeconds }`);
  }
  return {
    profile: parseProfileName(typeof run.profile === 'string' ? run.profile : undefined, `${source}.profile`),
    variant: parseVariant(typeof run.variant === 'string' ? run.variant : undefined, `${source}.variant`),
    reportsDir: text('reportsDir'),
    acceptanceFile: text('acceptanceFile'),
    seed: run.seed as number,
    ...(nemesis && { nemesis: { durationSeconds: nemesis.durationSeconds as number } }),
    ...(run.config !== undefined && { config: configDir(run.config, `${source}.config`) }),
    ...(run.shard !== undefined && { shard: shardOf(run.shard, `${source}.shard`) }),
    disks: parseDiskMode(run.disks, `${source}.disks`),
    ...(run.libvirtUri !== undefined && { libvirtUri: parseLibvirtUri(typeof run.libvirtUri === 'string' ? run.libvirtUri : JSON.stringify(run.libvirtUri), `${source}.libvirtUri`).uri }),
  };
}

/** What a run's results are filed under (the side-by-side table, Allure's history): its profile, or config-<dir> for an operator's files. */
export function runLabel(run: Pick<RunContext, 'profile' | 'config'> & Partial<Pick<RunContext, 'disks'>>): string {
  return `${run.config ? `config-${basename(resolve(run.config))}` : run.profile}${run.disks === 'volatile' ? `-${VOLATILE_REPORTS}` : ''}`;
}

/** Where a run on volatile disks puts its reports, under its profile's (or configuration's), and what its results are filed under. */
const VOLATILE_REPORTS = 'volatile-disks';

function shardOf(value: unknown, source: string): { index: number; count: number } {
  const shard = value as { index?: unknown; count?: unknown } | undefined;
  if (!shard || !Number.isInteger(shard.index) || !Number.isInteger(shard.count) || (shard.index as number) < 1 || (shard.index as number) > (shard.count as number)) {
    throw new Error(`${source} = ${JSON.stringify(value)} is not { index, count } with 1 ≤ index ≤ count`);
  }
  return { index: shard.index as number, count: shard.count as number };
}

function configDir(value: unknown, source: string): string {
  if (typeof value !== 'string' || !value) throw new Error(`${source} = ${JSON.stringify(value)} is not a directory; start the run with \`npm run e2e -- --config <dir>\``);
  return value;
}

/** Every file a run writes under its reports folder. */
export interface ReportFiles {
  dir: string;
  allureResults: string;
  html: string;
  junit: string;
  timings: string;
  /** Measurements (never assertions), grouped by scenario. */
  metrics: string;
  /** One folder per scenario: history.jsonl, timeline.svg, verdict.json. */
  scenarios: string;
  /** What the lab's power switch did during the run (a hardened profile's STONITH), a JSON line each. */
  powerSwitchLog: string;
  signoff: string;
  /** The V0 audit of the deployed configuration. */
  configAudit: (when: string) => string;
  /** What the last procedure run that carried out every step did (kept across runs), and the runbook rendered from it; a variant's carry its name. */
  procedureRecord: (variant: Variant) => string;
  runbook: (variant: Variant) => string;
}

export function reportFiles(dir: string): ReportFiles {
  const named = (base: string, variant: Variant, ext: string) => join(dir, variant === 'final' ? `${base}.${ext}` : `${base}-${variant}.${ext}`);
  return {
    dir,
    allureResults: join(dir, 'allure-results'),
    html: join(dir, 'html'),
    junit: join(dir, 'junit.xml'),
    timings: join(dir, 'timings.json'),
    metrics: join(dir, 'metrics.json'),
    scenarios: join(dir, 'scenarios'),
    powerSwitchLog: join(dir, 'power-switch.jsonl'),
    signoff: join(dir, 'signoff.md'),
    configAudit: (when) => join(dir, `config-audit-${when}.md`),
    procedureRecord: (variant) => named('procedure-record', variant, 'json'),
    runbook: (variant) => named('runbook', variant, 'md'),
  };
}
