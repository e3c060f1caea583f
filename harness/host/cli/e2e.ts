/**
 * `npm run e2e` and `npm run provision`: preflight → box (cached; the lab's host packages install
 * meanwhile) → lab → vagrant up → specs (or the procedure) → sign-off → report → destroy.
 * Ctrl-C or a failed step destroys what was started (unless --keep) and says what happened.
 * The run context (profile, variant, reports, acceptance file, seed) is built here once from the
 * arguments and written into the cluster file, where the specs and the procedure read it.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { execa } from 'execa';
import { ensureBox } from '../box/box.js';
import { labSettings, type LabSettings } from '../vagrant/lab-settings.js';
import { StoppedCluster } from '../vagrant/stopped-cluster.js';
import { interruptLabCommands, labCommandSignal, resetInterrupt } from '../lab/interrupt.js';
import { ensureStoragePool, removeLeftovers } from '../lab/leftovers.js';
import { disableBridgeStp } from '../lab/bridges.js';
import { labHypervisor } from '../lab/lab.js';
import { acquireRunLock } from '../lab/run-lock.js';
import { planVolatileDisks, serveNewVolatileDisks, volatileDisksServed } from '../lab/volatile-disks.js';
import { openLab, type OpenedLab } from '../lab/open-lab.js';
import { preflight } from '../preflight/preflight.js';
import { log } from '../../support/log.js';
import { metricsTable, readMetrics } from '../../checking/report/metrics.js';
import { junitClosingLine } from '../report/junit-summary.js';
import { renderReport, writeSideBySideResult, writeSignoffResult } from '../report/render.js';
import { readProfileResults, renderSideBySide, writeProfileResult, writeSideBySideFile } from '../../checking/signoff/side-by-side.js';
import { readSignoffRows, renderSignoffMarkdown, renderSignoffText } from '../../checking/signoff/signoff-table.js';
import { Timings } from '../report/timings.js';
import { loadTopology, type ResolvedTopology } from '../../config/topology.js';
import { loadOperatorConfig, OperatorConfigError, withOperatorConfig } from '../../config/operator-config.js';
import { drbdadmProblems } from '../operator/drbdadm-check.js';
import { Vagrant } from '../vagrant/vagrant.js';
import { SNAPSHOT_PREFIX, steadySnapshotName } from '../../cluster/snapshot.js';
import { parseVariant } from '../../config/variant.js';
import { GUIDE_PROFILE, parseProfileName } from '../../config/profile.js';
import { LOCAL_LIBVIRT_URI, parseLibvirtUri } from '../../config/libvirt-uri.js';
import { parseDiskMode, reportFiles, runContext, runLabel, type RunContext } from '../../config/run-context.js';
import { parseDuration, parseSeed, replayCommand } from '../../checking/nemesis/random-schedule.js';
import { specFiles, unmatchedFilters } from './spec-filters.js';
import { EVERY_SHARD, parseShard, planShards, readDurations, SHARD_FILE, shardSpecs, type Shard, type ShardPlan } from '../shards/shard-plan.js';
import { EXIT, parseCommandLine, UsageError } from './command-line.js';
import { reportsLeakSecrets } from '../report/secret-scan.js';
import { DURATIONS_FILE, SECRETS_FILE, CLUSTER_FILE, HALAB_DIR, RUN_LOCK_FILE, LAB_SETTINGS_FILE, PROFILE_RESULTS_DIR, PROJECT_DIR, SIDE_BY_SIDE_FILE } from '../../support/paths.js';

const HELP = `npm run e2e -- [options] [spec filters]     build the cluster, run the specs, sign off, destroy
npm run provision -- [options]                the same bring-up, then the procedure from the console; the cluster is kept

  --profile <name>       guide (topology.json, the default) or a profile beside it (topology.<name>.json)
  --config <dir>         the operator's own files (drbd.conf, ha.cf, haresources, authkeys, mariadb.cnf, mapping.json,
                         acceptance.json) deployed instead of the rendered ones; checked before any VM starts
                         (docs/operator-config.md); reports go to reports/config-<dir's name>/
  --shard <i>/<n>        run the i-th of n shares of the selected specs (all but N1 without filters), dealt out by
                         their measured seconds (specs/durations.json); every shard builds its own cluster and runs
                         00-02 and V0 too; reports go to <reports>/shard-<i>-of-<n>/ (npm run report -- --merge)
  --variant <name>       final (default), guide-v1, shrink-fs or external-md: the conversion carried out;
                         without filters a variant runs 00-lab, 01-procedure and 02-steady-state
  --disks <mode>         durable (default) or volatile: the data disks behind a write cache that a power cut empties,
                         so only what the guest flushed survives (D2, docs/volatile-disks.md); no snapshot resets.
                         Selecting D2 makes it volatile; without filters a volatile run runs 00-02, D2 and V0
  --keep                 keep the VMs afterwards (a later run reuses them); npm run down removes them
  --fresh                rebuild the VMs even where a kept cluster runs
  --isolated | --host    run the lab in a network namespace of its own, or on the host's libvirtd
                         (default: isolated when root and no other libvirtd serves; HALAB_ISOLATED=1|0)
  --libvirt-uri <uri>    run the VMs on another host's libvirt, qemu+ssh://user@host/system?keyfile=<key>
                         (default: HALAB_LIBVIRT_URI, else this machine's); the guests are reached through
                         that host over SSH (docs/remote-hypervisor.md); the procedure, 02 and V0 only
  --seed <n>             what the run's random choices are drawn from (D1's cut moments, the random schedule);
                         default: from the clock, printed with the command that replays the run
  --nemesis random       the seeded random fault schedule (specs/N1) after the procedure and the steady state
  --duration <d>         its length, e.g. 30m (default), 2h, 900s
  --until <id>, --from <id>, --only <phase>, --runbook
                         (npm run provision) stop after, start at, or run one phase of the procedure;
                         --runbook renders the runbook of the last full run, without VMs
  -h, --help             this text

Spec filters are parts of the file names under specs/ (e.g. 03- F1- V0-); one that matches no file is refused.
Exit codes: 0 passed, 1 a check or the run failed, 2 the command line was refused, 130 interrupted.`;

/** The scenario that needs the volatile-cache disks (its spec file's name starts so). */
const VOLATILE_DISK_SCENARIO = 'D2-';

const OPTIONS = {
  keep: { type: 'boolean' },
  fresh: { type: 'boolean' },
  isolated: { type: 'boolean' },
  host: { type: 'boolean' },
  provision: { type: 'boolean' },
  until: { type: 'string' },
  from: { type: 'string' },
  only: { type: 'string' },
  runbook: { type: 'boolean' },
  variant: { type: 'string' },
  profile: { type: 'string' },
  nemesis: { type: 'string' },
  seed: { type: 'string' },
  duration: { type: 'string' },
  config: { type: 'string' },
  shard: { type: 'string' },
  disks: { type: 'string' },
  'libvirt-uri': { type: 'string' },
} as const;

/**
 * What runs over another host's libvirt: the procedure and the steady state. The fault scenarios'
 * clients (ledger writers, the outside witness, the power switch) still reach the lab's networks
 * from this machine, which a remote hypervisor does not route here.
 */
const REMOTE_SPECS = ['00-lab', '01-procedure', '02-steady-state', 'V0-'];

/** What a run was asked to do, checked before anything starts. */
interface Invocation {
  run: RunContext;
  filters: string[];
  keep: boolean;
  fresh: boolean;
  provision: boolean;
  runbook: boolean;
  lab: { isolated?: boolean; host?: boolean };
  procedureArgs: string[];
  /** What a replay or a rerun must add to name this run's variant and profile. */
  selectionArgs: string[];
  /** The command that replays this run's random schedule. */
  replay?: string;
  /** Every shard's specs, when this run is one (`--shard`): written beside its reports for the merge. */
  plan?: ShardPlan;
}

/** The command line, as an invocation; a UsageError for anything that cannot run; the help text for --help. */
export function parseInvocation(argv: readonly string[], specsDir = join(PROJECT_DIR, 'specs')): Invocation | { help: string } {
  const { values: flags, positionals, help } = parseCommandLine(argv, OPTIONS, HELP, { positionals: true });
  if (help) return { help };
  const filters = [...positionals];
  // A filter that matches no spec file would run nothing of what was asked, silently (a renamed spec in CI).
  const unmatched = unmatchedFilters(filters, specFiles(specsDir));
  if (unmatched.length) throw new UsageError(`no spec file matches ${unmatched.map((f) => JSON.stringify(f)).join(', ')}: the filters are parts of the file names under specs/ (e.g. F1-, 03-, V0-)`);
  const wrap = <T>(parse: () => T): T => {
    try {
      return parse();
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  };
  const variant = wrap(() => parseVariant(flags.variant));
  const profile = wrap(() => parseProfileName(flags.profile, '--profile'));
  if (flags.config !== undefined && (profile !== GUIDE_PROFILE || variant !== 'final')) {
    throw new UsageError('--config: the operator\'s files replace the guide\'s rendered ones; run them without --profile and --variant');
  }
  const selectionArgs = [...(variant === 'final' ? [] : ['--variant', variant]), ...(profile === GUIDE_PROFILE ? [] : ['--profile', profile]), ...(flags.config === undefined ? [] : ['--config', flags.config]), ...(flags.disks === 'volatile' ? ['--disks', 'volatile'] : [])];
  const provision = flags.provision ?? false;
  // A variant is a way to convert the data: its run is the procedure and the steady state, unless told otherwise.
  if (variant !== 'final' && !provision && !filters.length) filters.push('00-lab', '01-procedure', '02-steady-state');

  let nemesis: RunContext['nemesis'];
  if (flags.nemesis !== undefined || flags.duration !== undefined) {
    if (flags.nemesis !== 'random') throw new UsageError(`--nemesis ${JSON.stringify(flags.nemesis ?? '')}: the one schedule is \`--nemesis random\` (--duration belongs to it)`);
    nemesis = { durationSeconds: wrap(() => parseDuration(flags.duration ?? '30m')) };
    if (!filters.length) filters.push('00-lab', '01-procedure', '02-steady-state', 'N1-random-nemesis');
  }
  // D2 needs the data disks behind a volatile cache, which costs the other scenarios their snapshot
  // resets: the disks follow the selection unless named, and a run without filters leaves D2 out.
  const selectsD2 = filters.some((filter) => specFiles(specsDir).some((f) => f.includes(filter) && f.includes(`/${VOLATILE_DISK_SCENARIO}`)));
  const disks = flags.disks === undefined ? (selectsD2 ? 'volatile' : 'durable') : wrap(() => parseDiskMode(flags.disks));
  if (selectsD2 && disks !== 'volatile') throw new UsageError(`${VOLATILE_DISK_SCENARIO} cuts the power of disks with a volatile write cache: run it with --disks volatile (the default when it is selected), not --disks ${disks}`);
  if (disks === 'volatile' && !filters.length && !nemesis && !provision) filters.push('00-lab', '01-procedure', '02-steady-state', VOLATILE_DISK_SCENARIO, 'V0-');
  let shard: Shard | undefined;
  let plan: ShardPlan | undefined;
  if (flags.shard !== undefined) {
    shard = wrap(() => parseShard(flags.shard!));
    if (nemesis) throw new UsageError('--shard deals out the catalogue\'s specs; the random schedule (--nemesis) runs whole');
    // The same plan on every shard: the specs selected (every spec but N1 without filters), dealt out by the measured seconds.
    // Every shard builds (or resets) a cluster of its own: the procedure, the steady state and V0 run in each, filters or not.
    const selected = specFiles(specsDir).filter((f) => (filters.length ? filters.some((filter) => f.includes(filter)) || EVERY_SHARD.test(f) : !f.includes('/N1-') && !f.includes(`/${VOLATILE_DISK_SCENARIO}`))).sort();
    plan = planShards(selected, readDurations(DURATIONS_FILE).seconds, shard.count);
    filters.splice(0, filters.length, ...shardSpecs(plan, shard));
  }
  const libvirt = wrap(() => parseLibvirtUri(flags['libvirt-uri'] ?? process.env.HALAB_LIBVIRT_URI, flags['libvirt-uri'] === undefined ? 'HALAB_LIBVIRT_URI' : '--libvirt-uri'));
  if (libvirt.remote) {
    if (disks === 'volatile') throw new UsageError(`--disks volatile serves the data disks from nbdkit on the machine the VMs run on; over a remote libvirt (${libvirt.uri}) the lab has durable disks only`);
    if (!provision && !filters.length) filters.push(...REMOTE_SPECS);
    const beyond = specFiles(specsDir).filter((f) => filters.some((filter) => f.includes(filter)) && !REMOTE_SPECS.some((allowed) => f.includes(`/${allowed}`)));
    if (beyond.length) throw new UsageError(`over a remote libvirt (${libvirt.uri}) the lab runs ${REMOTE_SPECS.join(', ')} only: the fault scenarios' clients reach the lab's networks from this machine; ${beyond.map((f) => f.replace(/^.*\//, '')).join(', ')} asked`);
  }
  // Without --seed the run context draws one from the clock.
  const run = runContext({ profile, variant, seed: flags.seed === undefined ? undefined : wrap(() => parseSeed(flags.seed!)), nemesis, config: flags.config, ...(shard && { shard }), disks, libvirtUri: libvirt.uri });
  const replay = nemesis && replayCommand({ seed: run.seed, durationSeconds: nemesis.durationSeconds }, selectionArgs);
  if (flags.runbook && !provision) throw new UsageError('--runbook belongs to `npm run provision`');
  const procedureArgs = (['until', 'from', 'only'] as const).flatMap((name) => (flags[name] === undefined ? [] : [`--${name}`, flags[name]!]));
  if (procedureArgs.length && !provision) throw new UsageError('--until, --from and --only belong to `npm run provision`');
  return {
    run,
    filters,
    // Provisioning leaves the cluster for the operator: always kept.
    keep: provision || (flags.keep ?? false),
    fresh: flags.fresh ?? false,
    provision,
    runbook: flags.runbook ?? false,
    lab: { isolated: flags.isolated, host: flags.host },
    procedureArgs,
    selectionArgs,
    ...(replay && { replay }),
    ...(plan && { plan }),
  };
}

/** The guide's topology with the operator's heartbeat timing, once their files passed every check; an OperatorConfigError otherwise. */
async function checkedOperatorTopology(dir: string, topology: ResolvedTopology): Promise<ResolvedTopology> {
  const config = loadOperatorConfig(dir, topology);
  const refused = await drbdadmProblems(config, topology);
  if (refused.length) throw new OperatorConfigError(config.dir, refused);
  log('e2e', `operator configuration ${config.dir} (${config.digest}): mapped and checked; heartbeat keepalive ${config.heartbeat.keepalive} s, deadtime ${config.heartbeat.deadtime} s, auth ${config.authkeysMethod}`);
  return withOperatorConfig(topology, config);
}

/** The settings an earlier `--keep` run wrote, when every node it defined still runs. */
async function keptCluster(lab: OpenedLab, topology: ResolvedTopology, fresh: boolean, { config, disks }: Pick<RunContext, 'config' | 'disks'>): Promise<StoppedCluster | undefined> {
  if (fresh || !existsSync(LAB_SETTINGS_FILE)) return undefined;
  const settings = JSON.parse(readFileSync(LAB_SETTINGS_FILE, 'utf8')) as LabSettings;
  // Another profile's VMs have other NICs (the hardened link): never carried on, rebuilt.
  const keptProfile = settings.topology.profile?.name ?? GUIDE_PROFILE;
  if (keptProfile !== topology.profile.name) {
    log('e2e', `the kept cluster is the ${keptProfile} profile's; building the ${topology.profile.name} profile's instead`);
    return undefined;
  }
  // Another configuration's cluster (an operator's, or the rendered one) is rebuilt, never carried on.
  const keptConfig = existsSync(CLUSTER_FILE) ? (JSON.parse(readFileSync(CLUSTER_FILE, 'utf8')) as { run?: { config?: string } }).run?.config : undefined;
  if ((keptConfig && resolve(keptConfig)) !== (config && resolve(config))) {
    log('e2e', `the kept cluster runs ${keptConfig ? `the configuration in ${keptConfig}` : 'the rendered configuration'}; building one for ${config ? `the configuration in ${config}` : 'the rendered configuration'} instead`);
    return undefined;
  }
  // Disks of the other kind, or volatile ones whose nbdkit is gone (the host rebooted): rebuilt.
  if (Boolean(settings.volatileDisks) !== (disks === 'volatile')) {
    log('e2e', `the kept cluster's data disks are ${settings.volatileDisks ? 'volatile' : 'durable'}; building one with ${disks} disks instead`);
    return undefined;
  }
  if ((settings.libvirtUri ?? LOCAL_LIBVIRT_URI) !== lab.libvirtUri) {
    log('e2e', `the kept cluster runs on ${settings.libvirtUri ?? LOCAL_LIBVIRT_URI}; building one on ${lab.libvirtUri} instead`);
    return undefined;
  }
  if (settings.volatileDisks && !volatileDisksServed(settings.volatileDisks)) {
    log('e2e', 'the kept cluster\'s volatile disks are no longer served (their nbdkit is gone): rebuilding it');
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
async function staleSnapshot(lab: OpenedLab, cluster: StoppedCluster, run: RunContext): Promise<string | undefined> {
  const wanted = await steadySnapshotName(run);
  const domain = `${cluster.settings.libvirt.domainPrefix}${cluster.topology.primary.name}`;
  const names = (await labHypervisor(lab).domain(domain).snapshots().catch(() => [])).filter((l) => l.startsWith(SNAPSHOT_PREFIX));
  if (names.includes(wanted)) return undefined;
  return names.length ? `the snapshot ${names.join(', ')} was taken by other procedure code or topology (now ${wanted})` : `the kept cluster has no steady-state snapshot ${wanted}`;
}

/** Leftovers out, accelerator probed, settings written, `vagrant up`. */
async function startCluster(lab: OpenedLab, topology: ResolvedTopology, run: RunContext, timings: Timings): Promise<StoppedCluster> {
  const stale = await removeLeftovers(lab, topology.prefix, PROJECT_DIR);
  const staleCount = stale.domains.length + stale.networks.length + stale.volumes.length;
  if (staleCount) log('e2e', `removed ${staleCount} leftover(s) of an earlier run`);
  rmSync(HALAB_DIR, { recursive: true, force: true });

  const host = parseLibvirtUri(lab.libvirtUri).remote;
  const probed = await timings.measure('accelerator probe', () => labSettings(topology, undefined, host && { lab, host }));
  log('e2e', `accelerator: ${probed.accelerator.accelerator.toUpperCase()} — ${probed.accelerator.reason}`);
  timings.facts.accelerator = `${probed.accelerator.accelerator}: ${probed.accelerator.reason}`;
  const settings: LabSettings = run.disks === 'volatile' ? { ...probed, volatileDisks: planVolatileDisks(topology, probed.libvirt.domainPrefix) } : probed;
  mkdirSync(HALAB_DIR, { recursive: true });
  writeFileSync(LAB_SETTINGS_FILE, JSON.stringify(settings, null, 2));
  await ensureStoragePool(lab, settings.libvirt.storagePool, `/var/lib/${topology.prefix}/pool`);
  if (settings.volatileDisks) {
    for (const line of await serveNewVolatileDisks(settings.volatileDisks, topology.vm.dataDiskMiB)) log('disks', line);
  }

  const cluster = new StoppedCluster(topology, settings, new Vagrant(lab, LAB_SETTINGS_FILE));
  await timings.measure('vagrant up (both VMs)', () => cluster.start(run));
  return cluster;
}

/** Interrupted by a signal: the first stops the current step and cleans up; a second leaves at once. */
const interruption: { signal?: string } = {};

/** The lab, the cluster and the specs (or the procedure); whatever happens, the cluster is kept or removed. */
async function runOnCluster(invocation: Invocation, topology: ResolvedTopology, timings: Timings): Promise<{ failure?: Error; specsFailed: boolean }> {
  const { run, filters } = invocation;
  const reports = reportFiles(run.reportsDir);
  let lab: OpenedLab | undefined;
  let cluster: StoppedCluster | undefined;
  try {
    await timings.measure('preflight (box tools)', () => preflight(['box']));
    // A run's reports start empty; provisioning leaves the last run's alone.
    if (!invocation.provision) for (const output of [reports.allureResults, reports.metrics, reports.junit, reports.scenarios, reports.signoff, reports.powerSwitchLog]) rmSync(output, { recursive: true, force: true });
    // A shard says what every shard was to run: the merge reports a spec that no shard ran as missing.
    if (invocation.plan && run.shard) {
      mkdirSync(reports.dir, { recursive: true });
      writeFileSync(join(reports.dir, SHARD_FILE), `${JSON.stringify({ shard: run.shard, plan: invocation.plan }, null, 2)}\n`);
      log('e2e', `shard ${run.shard.index}/${run.shard.count}: ${shardSpecs(invocation.plan, run.shard).join(' ')} (about ${invocation.plan.loads[run.shard.index - 1]} s of scenarios; the shards: ${invocation.plan.loads.join(', ')} s)`);
    }

    // On a fresh machine the lab's host packages (qemu, libvirt) install while the box builds: each
    // keeps about one of the two cores busy for minutes.
    const [box] = await Promise.all([
      timings.measure('box', () => ensureBox(topology.box.name)),
      timings.measure('preflight (lab tools, beside the box)', () => preflight(['lab'])),
    ]);
    timings.record('box build (cold)', box.built);
    timings.record('box add', box.added);
    timings.facts.box = `${box.name} recipe ${box.key}${box.built ? ' (built now)' : ' (cached)'}`;

    lab = await timings.measure('lab open', () => openLab(topology.prefix, invocation.lab, run.libvirtUri));
    timings.facts.lab = lab.description;
    const kept = await keptCluster(lab, topology, invocation.fresh, run);
    if (kept) {
      log('e2e', 'reusing the running cluster kept by an earlier --keep run (--fresh to rebuild it)');
      cluster = kept;
      timings.facts.accelerator = `${kept.settings.accelerator.accelerator}: ${kept.settings.accelerator.reason} (the kept cluster's)`;
      await cluster.describe(run);
      // Volatile disks take no snapshot: every scenario sets the steady state up on the kept cluster as it is.
      const stale = run.disks === 'volatile' ? undefined : await staleSnapshot(lab, kept, run);
      if (stale && !invocation.provision && filters.length && !filters.some((f) => '01-procedure'.startsWith(f))) {
        log('e2e', `${stale}: running the procedure and the steady state first (01-procedure, 02-steady-state), which saves a new snapshot`);
        filters.unshift('01-procedure', ...(filters.some((f) => '02-steady-state'.startsWith(f)) ? [] : ['02-steady-state']));
      }
    } else {
      cluster = await startCluster(lab, topology, run, timings);
    }
    // Every port of the lab's bridges forwards as soon as it is up (bridges.ts: why).
    const { managementNetwork, labNetwork, replicationNetwork } = cluster.settings.libvirt;
    for (const line of await disableBridgeStp(lab, [managementNetwork, labNetwork, replicationNetwork])) log('lab', line);
    timings.write(reports.timings);

    const opened = lab;
    const [phase, command] = invocation.provision
      ? ['procedure', ['tsx', 'provision/procedure.ts', ...invocation.procedureArgs]] as const
      : ['specs', ['vitest', 'run', '--config', 'vitest.e2e.config.ts', ...filters]] as const;
    const result = await timings.measure(phase, () => {
      // Its own process group, stopped whole on an interruption: npx, npm and vitest's workers do
      // not pass a signal on, and a vitest left running goes on faulting the kept cluster.
      const child = opened.exec('npx', [...command], { cwd: PROJECT_DIR, stdio: 'inherit', reject: false, detached: true, env: { HALAB_CLUSTER_JSON: CLUSTER_FILE } });
      const stopGroup = () => {
        try {
          if (child.pid) process.kill(-child.pid, 'SIGTERM');
        } catch {
          // already gone
        }
      };
      labCommandSignal().addEventListener('abort', stopGroup, { once: true });
      return child.finally(() => labCommandSignal().removeEventListener('abort', stopGroup));
    });
    if (interruption.signal) throw new Error(`interrupted by ${interruption.signal}`);
    return { specsFailed: result.exitCode !== 0 };
  } catch (error) {
    log('e2e', `FAILED: ${(error as Error).message}`);
    return { failure: error as Error, specsFailed: false };
  } finally {
    resetInterrupt();
    if (lab && invocation.keep) {
      log('e2e', 'keeping the VMs (--keep). Reach them with:');
      log('e2e', `  cd ${PROJECT_DIR} && HALAB_LAB_JSON=${LAB_SETTINGS_FILE} ${lab.shellPrefix()}vagrant ssh linux01`);
      log('e2e', `  npm run e2e -- --keep ${invocation.selectionArgs.map((a) => `${a} `).join('')}<spec filter>   reruns specs on it; npm run down removes everything`);
    } else if (lab) {
      const opened = lab;
      const started = cluster;
      await timings.measure('destroy', async () => {
        if (started) await started.destroy().catch((error) => log('e2e', `vagrant destroy failed: ${error.message}; removing with virsh`));
        const { prefix } = topology;
        await removeLeftovers(opened, prefix, PROJECT_DIR);
        await opened.close();
        rmSync(`/var/lib/${prefix}`, { recursive: true, force: true });
        // The storage pool's directory and the boot files, on the hypervisor's host.
        if (opened.kind === 'remote') await opened.onHypervisorHost('rm', ['-rf', `/var/lib/${prefix}`]);
      }).catch((error) => log('e2e', `cleanup failed: ${error.message}; run \`npm run down\``));
    }
  }
}

/**
 * What changes what a verdict means, recorded with it: the commit (and whether the tree was
 * dirty), the profile, the variant, the seed, and the acceptance file by its hash. The accelerator
 * and the box join them as the run finds them.
 */
async function runFacts(run: RunContext): Promise<Record<string, string>> {
  const described = (await execa('git', ['describe', '--always', '--dirty', '--abbrev=7'], { cwd: PROJECT_DIR, reject: false })).stdout;
  const acceptance = existsSync(run.acceptanceFile) ? createHash('sha256').update(readFileSync(run.acceptanceFile)).digest('hex').slice(0, 16) : 'missing';
  return {
    commit: String(described || 'unknown').trim(),
    profile: run.config ? `the operator's configuration ${relative(PROJECT_DIR, resolve(run.config)) || run.config} (topology.json for the lab)` : run.profile === GUIDE_PROFILE ? 'guide (topology.json)' : `${run.profile} (topology.json + topology.${run.profile}.json)`,
    variant: run.variant,
    disks: run.disks,
    seed: String(run.seed),
    acceptance: `${relative(PROJECT_DIR, run.acceptanceFile)} sha256 ${acceptance}`,
  };
}

/** The sign-off of this run's scenarios, this profile's rows kept for the side-by-side table, both in the reports. */
async function signOff(run: RunContext, facts: Readonly<Record<string, string>>): Promise<void> {
  const reports = reportFiles(run.reportsDir);
  const signoff = readSignoffRows(reports.scenarios);
  if (!signoff.length) return;
  const commit = facts.commit ?? 'unknown';
  const date = new Date().toISOString().slice(0, 10);
  const markdown = renderSignoffMarkdown(signoff, { date, commit, facts });
  let sideBySide = '';
  // This profile's rows beside the other profiles' last ones: the side-by-side table.
  writeProfileResult(PROFILE_RESULTS_DIR, { profile: runLabel(run), date, commit, rows: signoff });
  const profiles = readProfileResults(PROFILE_RESULTS_DIR);
  if (profiles.length > 1) {
    sideBySide = renderSideBySide(profiles);
    writeSideBySideFile(SIDE_BY_SIDE_FILE, sideBySide);
    writeSideBySideResult(reports.allureResults, sideBySide, Math.round(performance.timeOrigin));
  }
  writeFileSync(reports.signoff, sideBySide ? `${markdown}\n${sideBySide}` : markdown);
  writeSignoffResult(reports.allureResults, markdown, signoff.some((row) => row.judgement.failures.length > 0 || row.error), Math.round(performance.timeOrigin));
  process.stderr.write(`\nha-lab sign-off, ${runLabel(run)} (${relative(PROJECT_DIR, reports.signoff)}):\n${renderSignoffText(signoff)}\n`);
  if (profiles.length > 1) process.stderr.write(`the profiles side by side: ${relative(PROJECT_DIR, SIDE_BY_SIDE_FILE)}\n`);
}

/** The run's closing words: timings, measurements, the JUnit count, the secret scan; whether a secret leaked. */
async function closingReport(invocation: Invocation, timings: Timings): Promise<boolean> {
  const reports = reportFiles(invocation.run.reportsDir);
  if (!invocation.provision) await renderReport(reports.dir, timings, runLabel(invocation.run)).catch((error) => log('report', `not rendered: ${error.message}`));
  process.stderr.write(`\nha-lab timings (seconds):\n${timings.summary()}\n`);
  for (const [fact, value] of Object.entries(timings.facts)) process.stderr.write(`  ${fact}: ${value}\n`);
  const metrics = readMetrics(reports.metrics);
  if (Object.keys(metrics).length) process.stderr.write(`ha-lab measurements (${relative(PROJECT_DIR, reports.metrics)}):\n${metricsTable(metrics)}\n`);
  const closing = junitClosingLine(reports.junit);
  if (closing) process.stderr.write(`${closing}\n`);
  // Last, once every report file is written: a secret in any of them fails the run, by file and by the secret's name.
  const leaked = reportsLeakSecrets(reports.dir, SECRETS_FILE, (line) => process.stderr.write(line));
  if (!leaked && existsSync(SECRETS_FILE)) process.stderr.write(`secret scan: no secret of this lab in ${relative(PROJECT_DIR, reports.dir)}/\n`);
  return leaked;
}

/** The whole run; resolves with the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseInvocation(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    log('e2e', error.message);
    return EXIT.usage;
  }
  if ('help' in parsed) {
    process.stdout.write(`${parsed.help}\n`);
    return EXIT.ok;
  }
  const invocation = parsed;
  log('e2e', `seed ${invocation.run.seed}${invocation.replay ? `; random nemesis for ${invocation.run.nemesis!.durationSeconds} s; the same schedule again: ${invocation.replay}` : ''}`);
  // The runbook is rendered from the last full run's record: no VMs, no lab.
  if (invocation.runbook) {
    const { exitCode } = await execa('npx', ['tsx', 'provision/procedure.ts', '--runbook', ...invocation.selectionArgs], { cwd: PROJECT_DIR, stdio: 'inherit', reject: false });
    return exitCode ?? EXIT.failed;
  }
  // The topology and the profile, validated before anything starts: a wrong value or a misspelt key is refused here, naming the file.
  let topology: ResolvedTopology;
  try {
    topology = loadTopology(undefined, invocation.run.profile);
    // The operator's files, mapped and checked (the box's drbdadm included) before anything starts.
    if (invocation.run.config) topology = await checkedOperatorTopology(invocation.run.config, topology);
    // The power switch listens on the management network's host end, which is on the hypervisor's host.
    if (invocation.run.libvirtUri && topology.profile.hardening?.heartbeat.stonith) throw new Error(`the ${topology.profile.name} profile's STONITH device is the lab's power switch on this machine, which the nodes of a remote libvirt (${invocation.run.libvirtUri}) cannot reach: run it on this machine's libvirt`);
  } catch (error) {
    log('e2e', (error as Error).message);
    return EXIT.usage;
  }
  try {
    process.on('exit', acquireRunLock(RUN_LOCK_FILE));
  } catch (error) {
    log('e2e', (error as Error).message);
    return EXIT.usage;
  }

  const timings = new Timings();
  Object.assign(timings.facts, await runFacts(invocation.run));
  if (invocation.replay) timings.facts.nemesis = invocation.replay;
  const runStarted = performance.now();
  const { failure, specsFailed } = await runOnCluster(invocation, topology, timings);

  const reports = reportFiles(invocation.run.reportsDir);
  timings.record('total', (performance.now() - runStarted) / 1000);
  if (!invocation.provision) timings.recordResets(readMetrics(reports.metrics));
  timings.write(reports.timings);
  if (!invocation.provision) await signOff(invocation.run, timings.facts);
  const leaked = await closingReport(invocation, timings);
  const what = invocation.provision ? 'the procedure' : 'specs';
  const verdict = failure ? `FAILED: ${failure.message.split('\n')[0]}` : specsFailed ? `FAILED: ${what} failed (see above)` : leaked ? 'FAILED: a secret is in the reports (see above)' : 'passed';
  if (invocation.replay && (failure || specsFailed)) process.stderr.write(`the same random schedule again: ${invocation.replay}\n`);
  process.stderr.write(`ha-lab ${invocation.provision ? 'provision' : 'e2e'} ${verdict}\n`);
  if (interruption.signal) return EXIT.interrupted;
  return failure || specsFailed || leaked ? EXIT.failed : EXIT.ok;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (interruption.signal) {
        log('e2e', `${signal} again: exiting without cleanup; run \`npm run down\``);
        process.exit(EXIT.interrupted);
      }
      interruption.signal = signal;
      log('e2e', `${signal}: stopping the current step, then cleaning up (${signal} again to skip cleanup)`);
      interruptLabCommands(signal);
    });
  }
  process.exit(await main(process.argv.slice(2)));
}
