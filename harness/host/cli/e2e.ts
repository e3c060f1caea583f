/**
 * `npm run e2e [-- --keep] [-- --fresh] [-- --host|--isolated] [-- --variant <v>] [-- <vitest filters>]`
 * preflight → box (cached; the lab's host packages install meanwhile) → lab → vagrant up → specs
 * → report → destroy.
 * Ctrl-C or a failed step destroys what was started (unless --keep) and says what happened.
 * A cluster kept by an earlier `--keep` run is reused unless --fresh.
 * `npm run provision [-- --until <id>] [-- --from <id>] [-- --only <phase>]` (this file with
 * --provision): the same bring-up, then the procedure from the console (provision/procedure.ts)
 * instead of the specs; the cluster is always kept.
 * `--variant guide-v1|shrink-fs|external-md` carries out that variant of the conversion (the
 * guide's final procedure by default); without filters it runs 00-lab, 01-procedure, 02-steady-state.
 * `--nemesis random [--seed N] [--duration 30m]` runs the nightly seeded random fault schedule
 * (specs/N1-random-nemesis) after the procedure and the steady state; the seed is printed, and a
 * failing run prints the command that replays it.
 */
// First: the report paths below depend on --profile.
import './profile-flag.js';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureBox } from '../box/box.js';
import { labSettings, type LabSettings } from '../vagrant/lab-settings.js';
import { StoppedCluster } from '../vagrant/stopped-cluster.js';
import { interruptLabCommands, resetInterrupt } from '../lab/interrupt.js';
import { ensureStoragePool, removeLeftovers } from '../lab/leftovers.js';
import { disableBridgeStp } from '../lab/bridges.js';
import { labHypervisor } from '../lab/lab.js';
import { acquireRunLock } from '../lab/run-lock.js';
import { openLab, type OpenedLab } from '../lab/open-lab.js';
import { preflight } from '../preflight/preflight.js';
import { log } from '../../support/log.js';
import { metricsTable, readMetrics } from '../../checking/report/metrics.js';
import { junitClosingLine } from '../report/junit-summary.js';
import { renderReport, writeSideBySideResult, writeSignoffResult } from '../report/render.js';
import { readProfileResults, renderSideBySide, writeProfileResult } from '../../checking/signoff/side-by-side.js';
import { readSignoffRows, renderSignoffMarkdown, renderSignoffText } from '../../checking/signoff/signoff-table.js';
import { execa } from 'execa';
import { Timings } from '../report/timings.js';
import { loadTopology, type ResolvedTopology } from '../../config/topology.js';
import { Vagrant } from '../vagrant/vagrant.js';
import { SNAPSHOT_PREFIX, steadySnapshotName } from '../../cluster/snapshot.js';
import { parseVariant, VARIANT_ENV, type Variant } from '../../config/variant.js';
import { GUIDE_PROFILE, parseProfileName, PROFILE_ENV } from '../../config/profile.js';
import { parseDuration, parseSeed, replayCommand } from '../../checking/nemesis/random-schedule.js';
import { specFiles, unmatchedFilters } from './spec-filters.js';
import { reportsLeakSecrets } from '../report/secret-scan.js';
import { SECRETS_FILE, SIGNOFF_FILE, POWER_SWITCH_LOG, ALLURE_RESULTS_DIR, CLUSTER_FILE, HALAB_DIR, JUNIT_FILE, RUN_LOCK_FILE, LAB_SETTINGS_FILE, METRICS_FILE, PROFILE_RESULTS_DIR, PROJECT_DIR, REPORTS_DIR, SCENARIOS_DIR, SIDE_BY_SIDE_FILE, TIMINGS_FILE } from '../../support/paths.js';

/** The command line, or one line saying what is wrong with it (exit 2). */
function parseCommandLine() {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        keep: { type: 'boolean', default: false },
        fresh: { type: 'boolean', default: false },
        isolated: { type: 'boolean' },
        host: { type: 'boolean' },
        provision: { type: 'boolean', default: false },
        until: { type: 'string' },
        from: { type: 'string' },
        only: { type: 'string' },
        runbook: { type: 'boolean', default: false },
        variant: { type: 'string' },
        profile: { type: 'string' },
        nemesis: { type: 'string' },
        seed: { type: 'string' },
        duration: { type: 'string' },
      },
    });
  } catch (error) {
    log('e2e', `${(error as Error).message.split('\n')[0].replace(/\.$/, '')}; see the README's "Set-up and use"`);
    process.exit(2);
  }
}
const { values: flags, positionals: filters } = parseCommandLine();
// A filter that matches no spec file would run nothing of what was asked, silently (a renamed spec in CI).
const unmatched = unmatchedFilters(filters, specFiles(join(PROJECT_DIR, 'specs')));
if (unmatched.length) {
  log('e2e', `no spec file matches ${unmatched.map((f) => JSON.stringify(f)).join(', ')}: the filters are parts of the file names under specs/ (e.g. F1-, 03-, V0-)`);
  process.exit(2);
}
// The specs and the procedure read the variant from the environment, as the snapshot's key does here.
try {
  process.env[VARIANT_ENV] = parseVariant(flags.variant);
} catch (error) {
  log('e2e', (error as Error).message);
  process.exit(2);
}
const variant = process.env[VARIANT_ENV] as Variant;
// The profile: the guide's, or a hardening beside topology.json (topology.<p>.json); the specs,
// the procedure and the Vagrantfile read it from the environment.
try {
  process.env[PROFILE_ENV] = parseProfileName(flags.profile ?? process.env[PROFILE_ENV], flags.profile === undefined ? PROFILE_ENV : '--profile');
} catch (error) {
  log('e2e', (error as Error).message);
  process.exit(2);
}
const profile = process.env[PROFILE_ENV]!;
/** What a replay or a rerun must add to name this run's variant and profile. */
const selectionArgs = [...(variant === 'final' ? [] : ['--variant', variant]), ...(profile === GUIDE_PROFILE ? [] : ['--profile', profile])];
// A variant is a way to convert the data: its run is the procedure and the steady state, unless told otherwise.
if (variant !== 'final' && !flags.provision && !filters.length) filters.push('00-lab', '01-procedure', '02-steady-state');

/** `--nemesis random`: the schedule's seed and duration, handed to specs/N1 in the environment. */
let replay: string | undefined;
if (flags.nemesis !== undefined || flags.seed !== undefined || flags.duration !== undefined) {
  try {
    if (flags.nemesis !== 'random') throw new Error(`--nemesis ${JSON.stringify(flags.nemesis ?? '')}: the one schedule is \`--nemesis random\` (--seed and --duration belong to it)`);
    const seed = flags.seed === undefined ? Date.now() % 4294967296 : parseSeed(flags.seed);
    const durationSeconds = parseDuration(flags.duration ?? '30m');
    process.env.HALAB_NEMESIS_SEED = String(seed);
    process.env.HALAB_NEMESIS_DURATION = `${durationSeconds}s`;
    replay = replayCommand({ seed, durationSeconds }, selectionArgs);
    log('e2e', `random nemesis: seed ${seed}, ${durationSeconds} s; the same schedule again: ${replay}`);
  } catch (error) {
    log('e2e', (error as Error).message);
    process.exit(2);
  }
  if (!filters.length) filters.push('00-lab', '01-procedure', '02-steady-state', 'N1-random-nemesis');
}
// The runbook is rendered from the last full run's record: no VMs, no lab.
if (flags.runbook) {
  if (!flags.provision) {
    log('e2e', '--runbook belongs to `npm run provision`');
    process.exit(2);
  }
  const { exitCode } = await execa('npx', ['tsx', 'provision/procedure.ts', '--runbook'], { cwd: PROJECT_DIR, stdio: 'inherit', reject: false });
  process.exit(exitCode ?? 1);
}
// Provisioning leaves the cluster for the operator: always kept.
if (flags.provision) flags.keep = true;
const procedureArgs = (['until', 'from', 'only'] as const).flatMap((name) => (flags[name] === undefined ? [] : [`--${name}`, flags[name]!]));
if (procedureArgs.length && !flags.provision) {
  log('e2e', '--until, --from and --only belong to `npm run provision`');
  process.exit(2);
}

try {
  process.on('exit', acquireRunLock(RUN_LOCK_FILE));
} catch (error) {
  log('e2e', (error as Error).message);
  process.exit(2);
}

const timings = new Timings();
if (replay) timings.facts.nemesis = replay;
timings.facts.profile = profile === GUIDE_PROFILE ? 'guide (topology.json)' : `${profile} (topology.json + topology.${profile}.json)`;

let interrupted: string | undefined;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupted) {
      log('e2e', `${signal} again: exiting without cleanup; run \`npm run down\``);
      process.exit(130);
    }
    interrupted = signal;
    log('e2e', `${signal}: stopping the current step, then cleaning up (${signal} again to skip cleanup)`);
    interruptLabCommands(signal);
  });
}

/** The settings an earlier `--keep` run wrote, when every node it defined still runs. */
async function keptCluster(lab: OpenedLab, topology: ResolvedTopology): Promise<StoppedCluster | undefined> {
  if (flags.fresh || !existsSync(LAB_SETTINGS_FILE)) return undefined;
  const settings = JSON.parse(readFileSync(LAB_SETTINGS_FILE, 'utf8')) as LabSettings;
  // Another profile's VMs have other NICs (the hardened link): never carried on, rebuilt.
  const keptProfile = settings.topology.profile?.name ?? GUIDE_PROFILE;
  if (keptProfile !== topology.profile.name) {
    log('e2e', `the kept cluster is the ${keptProfile} profile's; building the ${topology.profile.name} profile's instead`);
    return undefined;
  }
  const vagrant = new Vagrant(lab, LAB_SETTINGS_FILE);
  const states = await vagrant.status().catch(() => new Map<string, string>());
  if (!topology.nodes.every((node) => states.get(node.name) === 'running')) return undefined;
  return new StoppedCluster(topology, settings, vagrant);
}

/**
 * Why the kept cluster's steady-state snapshot cannot be used by this code (none, or taken by
 * other procedure code or topology), or undefined when it can.
 */
async function staleSnapshot(lab: OpenedLab, cluster: StoppedCluster): Promise<string | undefined> {
  const wanted = await steadySnapshotName();
  const domain = `${cluster.settings.libvirt.domainPrefix}${cluster.topology.primary.name}`;
  const names = (await labHypervisor(lab).domain(domain).snapshots().catch(() => [])).filter((l) => l.startsWith(SNAPSHOT_PREFIX));
  if (names.includes(wanted)) return undefined;
  return names.length ? `the snapshot ${names.join(', ')} was taken by other procedure code or topology (now ${wanted})` : `the kept cluster has no steady-state snapshot ${wanted}`;
}


/** Leftovers out, accelerator probed, settings written, `vagrant up`. */
async function startCluster(lab: OpenedLab, topology: ResolvedTopology): Promise<StoppedCluster> {
  const stale = await removeLeftovers(lab, topology.prefix, PROJECT_DIR);
  const staleCount = stale.domains.length + stale.networks.length + stale.volumes.length;
  if (staleCount) log('e2e', `removed ${staleCount} leftover(s) of an earlier run`);
  rmSync(HALAB_DIR, { recursive: true, force: true });

  const settings = await timings.measure('accelerator probe', () => labSettings(topology));
  log('e2e', `accelerator: ${settings.accelerator.accelerator.toUpperCase()} — ${settings.accelerator.reason}`);
  timings.facts.accelerator = `${settings.accelerator.accelerator}: ${settings.accelerator.reason}`;
  mkdirSync(HALAB_DIR, { recursive: true });
  writeFileSync(LAB_SETTINGS_FILE, JSON.stringify(settings, null, 2));
  await ensureStoragePool(lab, settings.libvirt.storagePool, `/var/lib/${topology.prefix}/pool`);

  const cluster = new StoppedCluster(topology, settings, new Vagrant(lab, LAB_SETTINGS_FILE));
  await timings.measure('vagrant up (both VMs)', () => cluster.start());
  return cluster;
}

let lab: OpenedLab | undefined;
let cluster: StoppedCluster | undefined;
let failure: Error | undefined;
let specsFailed = false;
const runStarted = performance.now();
try {
  const topology = loadTopology();
  await timings.measure('preflight (box tools)', () => preflight(['box']));
  // A run's reports start empty; provisioning leaves the last run's alone.
  if (!flags.provision) for (const output of [ALLURE_RESULTS_DIR, METRICS_FILE, JUNIT_FILE, SCENARIOS_DIR, SIGNOFF_FILE, POWER_SWITCH_LOG]) rmSync(output, { recursive: true, force: true });

  // On a fresh machine the lab's host packages (qemu, libvirt) install while the box builds: each
  // keeps about one of the two cores busy for minutes.
  const [box] = await Promise.all([
    timings.measure('box', () => ensureBox(topology.box.name)),
    timings.measure('preflight (lab tools, beside the box)', () => preflight(['lab'])),
  ]);
  timings.record('box build (cold)', box.built);
  timings.record('box add', box.added);
  timings.facts.box = `${box.name} recipe ${box.key}${box.built ? ' (built now)' : ' (cached)'}`;

  lab = await timings.measure('lab open', () => openLab(topology.prefix, flags));
  timings.facts.lab = lab.description;
  const kept = await keptCluster(lab, topology);
  if (kept) {
    log('e2e', 'reusing the running cluster kept by an earlier --keep run (--fresh to rebuild it)');
    cluster = kept;
    await cluster.describe();
    const stale = await staleSnapshot(lab, kept);
    if (stale && !flags.provision && filters.length && !filters.some((f) => '01-procedure'.startsWith(f))) {
      log('e2e', `${stale}: running the procedure and the steady state first (01-procedure, 02-steady-state), which saves a new snapshot`);
      filters.unshift('01-procedure', ...(filters.some((f) => '02-steady-state'.startsWith(f)) ? [] : ['02-steady-state']));
    }
  } else {
    cluster = await startCluster(lab, topology);
  }
  // Every port of the lab's bridges forwards as soon as it is up (bridges.ts: why).
  const { managementNetwork, labNetwork, replicationNetwork } = cluster.settings.libvirt;
  for (const line of await disableBridgeStp(lab, [managementNetwork, labNetwork, replicationNetwork])) log('lab', line);
  timings.write(TIMINGS_FILE);

  const opened = lab;
  const [phase, command] = flags.provision
    ? ['procedure', ['tsx', 'provision/procedure.ts', ...procedureArgs]] as const
    : ['specs', ['vitest', 'run', '--config', 'vitest.e2e.config.ts', ...filters]] as const;
  const run = await timings.measure(phase, () => opened.exec('npx', [...command], {
    cwd: PROJECT_DIR, stdio: 'inherit', reject: false, env: { HALAB_CLUSTER_JSON: CLUSTER_FILE },
  }));
  specsFailed = run.exitCode !== 0;
  if (interrupted) throw new Error(`interrupted by ${interrupted}`);
} catch (error) {
  failure = error as Error;
  log('e2e', `FAILED: ${failure.message}`);
} finally {
  resetInterrupt();
  if (lab && flags.keep) {
    log('e2e', 'keeping the VMs (--keep). Reach them with:');
    log('e2e', `  cd ${PROJECT_DIR} && HALAB_LAB_JSON=${LAB_SETTINGS_FILE} ${lab.shellPrefix()}vagrant ssh linux01`);
    log('e2e', `  npm run e2e -- --keep ${selectionArgs.map((a) => `${a} `).join('')}<spec filter>   reruns specs on it; npm run down removes everything`);
  } else if (lab) {
    const opened = lab;
    await timings.measure('destroy', async () => {
      if (cluster) await cluster.destroy().catch((error) => log('e2e', `vagrant destroy failed: ${error.message}; removing with virsh`));
      const { prefix } = loadTopology();
      await removeLeftovers(opened, prefix, PROJECT_DIR);
      await opened.close();
      rmSync(`/var/lib/${prefix}`, { recursive: true, force: true });
    }).catch((error) => log('e2e', `cleanup failed: ${error.message}; run \`npm run down\``));
  }
  timings.record('total', (performance.now() - runStarted) / 1000);
  if (!flags.provision) timings.recordResets(readMetrics());
  timings.write(TIMINGS_FILE);
  const signoff = flags.provision ? [] : readSignoffRows(SCENARIOS_DIR);
  if (signoff.length) {
    const commit = String((await execa('git', ['rev-parse', '--short', 'HEAD'], { cwd: PROJECT_DIR, reject: false })).stdout || 'unknown').trim();
    const date = new Date().toISOString().slice(0, 10);
    const markdown = renderSignoffMarkdown(signoff, { date, commit });
    let sideBySide = '';
    // This profile's rows beside the other profiles' last ones: the side-by-side table.
    writeProfileResult(PROFILE_RESULTS_DIR, { profile, date, commit, rows: signoff });
    const profiles = readProfileResults(PROFILE_RESULTS_DIR);
    if (profiles.length > 1) {
      sideBySide = renderSideBySide(profiles);
      writeFileSync(SIDE_BY_SIDE_FILE, `# ha-lab: the fault catalogue against each profile\n\n${sideBySide}`);
      writeSideBySideResult(ALLURE_RESULTS_DIR, sideBySide, Math.round(performance.timeOrigin));
    }
    writeFileSync(SIGNOFF_FILE, sideBySide ? `${markdown}\n${sideBySide}` : markdown);
    writeSignoffResult(ALLURE_RESULTS_DIR, markdown, signoff.some((row) => row.judgement.failures.length > 0 || row.error), Math.round(performance.timeOrigin));
    process.stderr.write(`\nha-lab sign-off, ${profile} profile (${relative(PROJECT_DIR, SIGNOFF_FILE)}):\n${renderSignoffText(signoff)}\n`);
    if (profiles.length > 1) process.stderr.write(`the profiles side by side: ${relative(PROJECT_DIR, SIDE_BY_SIDE_FILE)}\n`);
  }
  if (!flags.provision) await renderReport(REPORTS_DIR, timings).catch((error) => log('report', `not rendered: ${error.message}`));
  process.stderr.write(`\nha-lab timings (seconds):\n${timings.summary()}\n`);
  for (const [fact, value] of Object.entries(timings.facts)) process.stderr.write(`  ${fact}: ${value}\n`);
  const metrics = readMetrics();
  if (Object.keys(metrics).length) process.stderr.write(`ha-lab measurements (${relative(PROJECT_DIR, METRICS_FILE)}):\n${metricsTable(metrics)}\n`);
  const closing = junitClosingLine(JUNIT_FILE);
  if (closing) process.stderr.write(`${closing}\n`);
  // Last, once every report file is written: a secret in any of them fails the run, by file and by the secret's name.
  const leaked = reportsLeakSecrets(REPORTS_DIR, SECRETS_FILE, (line) => process.stderr.write(line));
  if (!leaked && existsSync(SECRETS_FILE)) process.stderr.write(`secret scan: no secret of this lab in ${relative(PROJECT_DIR, REPORTS_DIR)}/\n`);
  const verdict = failure ? `FAILED: ${failure.message.split('\n')[0]}` : specsFailed ? `FAILED: ${flags.provision ? 'the procedure' : 'specs'} failed (see above)` : leaked ? 'FAILED: a secret is in the reports (see above)' : 'passed';
  if (replay && (failure || specsFailed)) process.stderr.write(`the same random schedule again: ${replay}\n`);
  process.stderr.write(`ha-lab ${flags.provision ? 'provision' : 'e2e'} ${verdict}\n`);
  process.exit(failure || specsFailed || leaked ? 1 : 0);
}
