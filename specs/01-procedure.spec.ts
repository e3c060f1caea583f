/**
 * The guide's procedure (its step ids: README, "The procedure under test"), carried out step by step on the VMs:
 * WordPress data made on linux01's LV, converted in place to DRBD, linux02 synced, heartbeat
 * v1 in charge. Each step is an Allure step named by its id, with its commands and output.
 * Steps check first whether their effect is in place, so a rerun on a kept cluster continues.
 */
import * as allure from 'allure-js-commons';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import {
  allureReporter, compareEvidence, describeConversion, judge, loadAcceptance, log, LEDGER_TABLE, parseEvidence, PROCEDURE_KEY_FILE,
  procedureKey, readEvidence, recordMetric, servedBy, StartedCluster, vipPool, waitFor,
} from '../harness/index.js';
import { backupFile, describeVariant, DRBD_CONF, evidenceBefore, HARNESS_DB_USER, MARIADB_CNF, type Phase, phaseSteps, type Procedure, procedure, procedureLayout, procedurePhases, readRehearsal, recordRunbook, redact, rehearsalDir, OPERATOR_MARIADB_CNF, renderMariadbCnf, renderWordpressConfig, runSteps, secretValues, stepIds, type StepRecord, type SyncMeasurement, WORDPRESS_CNF, WORDPRESS_DB_USER } from '../provision/index.js';

let cluster: StartedCluster;
let p: Procedure;
let phases: Phase[];
let sync: SyncMeasurement = { seconds: 0, sizeMiB: 0, mibPerSecond: 0 };
/** This run's context (`npm run e2e -- --variant <v> --profile <p>`): the variant decides which tests there are. */
const run = inject('run');
const { variant } = run;

beforeAll(async () => {
  cluster = await StartedCluster.attach();
  p = procedure(cluster);
  phases = procedurePhases(p, (m) => (sync = m));
  await allure.parameter('variant', variant);
});
afterAll(() => cluster?.close());

// Each phase stands on the one before: after a failure the rest is skipped, not run on a broken state.
let brokenAt: string | undefined;
beforeEach(async (context) => {
  if (brokenAt) context.skip(`the procedure stopped at: ${brokenAt}`);
  // Everything else stands on the procedure.
  await allure.severity('blocker');
  await allure.owner('ha-lab (the procedure under test: docs/procedure.md)');
});
afterEach((context) => {
  if (context.task.result?.state === 'fail') brokenAt ??= context.task.name;
});

/** What every step did, for the runbook. */
const records: StepRecord[] = [];

/** Runs one phase of the procedure (the steps given, or all of the phase) and records its seconds. */
async function phase(label: string, name: string, steps = phaseSteps(phases, name)): Promise<void> {
  const started = performance.now();
  await runSteps(steps, secretValues(p.secrets), allureReporter, records);
  recordMetric(cluster.reports.metrics, 'procedure', label, { seconds: (performance.now() - started) / 1000 });
}

describe(`Procedure${variant === 'final' ? '' : ` (variant ${variant})`}`, () => {
  it('E1-E3, P1/P2, S1/S2: the guide\'s environment: software installed, the existing LV on both nodes, the variant recorded', async () => {
    await phase('environment', 'environment');
    await allure.step(describeVariant(p), () => {});
  });

  it('P3: WordPress data on ext3 on linux01\'s LV, with the evidence taken before the conversion', async () => {
    await phase('data seeding (P3)', 'seed');
    const evidence = await evidenceBefore(p);
    await allure.attachment('evidence before conversion (table, rows, checksum)', evidence, 'text/tab-separated-values');
    await allure.attachment('e2fsck -fn before', await p.primary.succeed(`cat ${p.stateDir}/fsck-before.txt`), 'text/plain');
    const posts = parseEvidence(evidence).find((e) => e.table === 'wp_posts');
    expect(posts?.rows, 'wp_posts rows').toBeGreaterThanOrEqual(p.t.wordpress.posts);
  });

  // Defined in that variant's runs only: the others' reports show no skipped test for it.
  if (variant === 'guide-v1') it('guide-v1: the guide\'s first version (no lvextend) on a copy of the data: drbdmeta refuses before the zeroing, and after it the metadata takes the file system\'s tail', async () => {
    const first = records.length;
    await phase('guide-v1 rehearsal on a copy', 'guide-v1');
    // The first version's conversion proper: P4.v1 to P10.v1, as the final procedure's P4-P10 is measured.
    const conversion = records.slice(first).filter((r) => /^P(4|6|8|9|10)\.v1$/.test(r.id));
    if (conversion.length) recordMetric(cluster.reports.metrics, 'procedure', 'guide-v1 conversion (P4.v1-P10.v1, on the copy)', { seconds: conversion.reduce((sum, r) => sum + (r.seconds ?? 0), 0) });
    const outcome = await readRehearsal(p);
    expect(outcome, `the rehearsal's verdict in ${rehearsalDir(p)}/verdict.json`).toBeDefined();
    await allure.attachment('drbdmeta before the zeroing (the refusal)', outcome!.refusal.output, 'text/plain');
    await allure.attachment('e2fsck -fn on the copy\'s DRBD device', outcome!.facts.fsck.output, 'text/plain');
    await allure.attachment('mount of the copy\'s DRBD device', outcome!.facts.mount.output || '(mounted)', 'text/plain');
    await allure.attachment('guide-v1 verdict.json', JSON.stringify(outcome, null, 2), 'application/json');
    expect(outcome!.refusal.output, 'drbdmeta\'s refusal names the truncation').toMatch(/Device size would be truncated/);
    // The finding is the operator's to accept: acceptance/<profile>.json, scenario guide-v1.
    const acceptance = loadAcceptance(run.acceptanceFile);
    const judgement = judge('guide-v1', [outcome!.verdict], acceptance);
    await allure.step(`guide-v1 data safety: ${describeConversion(outcome!.verdict)}`, () => {});
    log('guide-v1', `data safety ${describeConversion(outcome!.verdict)}`);
    expect(judgement.failures, `guide-v1's findings against ${run.acceptanceFile}`).toEqual([]);
  });

  it('P4–P10: the LV becomes /dev/drbd0 in place, and the data is all still there (V5)', async () => {
    await phase(`conversion (P4-P10)${variant === 'final' ? '' : `, ${variant}`}`, 'convert');
    await allure.attachment('create-md output', await p.primary.succeed(`cat ${p.stateDir}/create-md.txt`), 'text/plain');
    await allure.attachment('e2fsck -fn after', await p.primary.succeed(`cat ${p.stateDir}/fsck-after.txt`), 'text/plain');
    if (variant !== 'external-md') await p.primary.succeed(`test -s ${backupFile(p)}`);
  });

  it('S3–S7: linux02 becomes SyncTarget and both reach UpToDate/UpToDate (V4)', async () => {
    await phase('initial sync (S3-S7)', 'secondary');
    recordMetric(cluster.reports.metrics, 'procedure', 'initial sync', { seconds: sync.seconds, mibPerSecond: sync.mibPerSecond, sizeMiB: sync.sizeMiB });
    await allure.attachment('/proc/drbd on linux02 after sync', await p.secondary.succeed('cat /proc/drbd'), 'text/plain');
  });

  it('H1–H4: heartbeat v1 owns the resources; the VIP answers MySQL with the WordPress rows from linux01', async () => {
    const steps = phaseSteps(phases, 'heartbeat');
    const [configure, start] = [steps.slice(0, -1), steps.at(-1)!];
    await phase('heartbeat configuration (H1-H4)', 'heartbeat', configure);
    const started = performance.now();
    await phase('heartbeat start until linux01 owns the resources', 'heartbeat', [start]);
    const pool = vipPool(p.t, { user: HARNESS_DB_USER, password: p.secrets.harnessDbPassword }, cluster.jump);
    try {
      const host = await waitFor('the VIP answers MySQL', () => servedBy(pool), { timeoutSeconds: 120, intervalSeconds: 1 });
      recordMetric(cluster.reports.metrics, 'procedure', 'heartbeat start to VIP answering', { seconds: (performance.now() - started) / 1000 });
      expect(host, 'server answering on the VIP').toBe(p.primary.name);
      const before = parseEvidence(await evidenceBefore(p));
      // The harness's own ledger table (from scenarios on a kept cluster) is not the blog's data.
      const viaVip = (await readEvidence(pool, p.t.mysql.database)).filter((e) => e.table !== LEDGER_TABLE);
      await allure.attachment('evidence through the VIP', viaVip.map((e) => `${e.table}\t${e.rows}\t${e.checksum}`).join('\n'), 'text/tab-separated-values');
      expect(compareEvidence(before, viaVip), 'tables read through the VIP against the evidence before conversion').toEqual([]);
    } finally {
      await pool.end();
    }
  });

  it('the procedure passed: its code\'s key is recorded on every node (the steady-state snapshot is tied to it)', async () => {
    const key = await procedureKey(run);
    await cluster.each((node) => node.succeed(`echo ${key} > ${PROCEDURE_KEY_FILE}`));
    await allure.parameter('procedure key', key, { excluded: true });
  });

  it('the runbook: the commands this run carried out, as an operator types them (reports/runbook.md)', async () => {
    const result = await recordRunbook(records, stepIds(phases), variant, cluster.reports);
    if ('notRendered' in result) {
      // A rerun on a kept cluster finds the steps in place: the runbook of the last full run stays.
      log('runbook', `not rendered from this run: ${result.notRendered}; ${cluster.reports.runbook(variant)} is the last full run's`);
      await allure.step(`runbook not rendered from this run: ${result.notRendered}`, () => {});
      return;
    }
    const { runbook } = result;
    await allure.attachment('runbook.md', runbook, 'text/markdown');
    for (const id of [variant === 'external-md' ? 'P5' : 'P6', 'H2']) expect(runbook, `the runbook has step ${id}`).toContain(`## ${id}:`);
  });

  it('the configuration files on both nodes are the ones the procedure deployed, rendered or the operator\'s (a copy, secrets redacted, for the sign-off)', async () => {
    const wordpress = renderWordpressConfig(p.t, { host: p.t.network.vip, user: WORDPRESS_DB_USER, password: p.secrets.wordpressDbPassword });
    const differences: string[] = [];
    for (const spec of p.t.nodes) {
      const node = cluster.node(spec.name);
      const files: [string, string][] = [
        [DRBD_CONF, p.files.drbdConf(procedureLayout(p))],
        ['/etc/ha.d/ha.cf', p.files.haCf(spec)],
        ['/etc/ha.d/authkeys', p.files.authkeys(p.secrets.heartbeatKey)],
        ['/etc/ha.d/haresources', p.files.haresources()],
        [MARIADB_CNF, renderMariadbCnf(p.t)],
        ...(p.files.mariadbFragment === undefined ? [] : [[OPERATOR_MARIADB_CNF, p.files.mariadbFragment] as [string, string]]),
        [WORDPRESS_CNF, wordpress],
      ];
      for (const [path, rendered] of files) {
        const onNode = (await node.run(`cat ${path}`)).stdout;
        const clean = redact(onNode, secretValues(p.secrets));
        await allure.attachment(`${spec.name}: ${path}`, clean, 'text/plain');
        // By name, never by value: allure-vitest records an assertion's arguments, and the report must not carry a secret.
        expect(Object.entries(p.secrets).filter(([, value]) => clean.includes(value)).map(([name]) => name), `${path} redacted: the secrets left in it`).toEqual([]);
        if (onNode.trim() !== rendered.trim()) {
          const line = onNode.split('\n').findIndex((l, k) => l !== rendered.split('\n')[k]);
          differences.push(`${spec.name}:${path}: differs from what the procedure rendered from line ${line + 1} on: ${JSON.stringify(redact(onNode.split('\n')[line] ?? '(missing)', secretValues(p.secrets)))}`);
        }
      }
    }
    expect(differences, 'configuration files on the nodes against the procedure\'s rendering').toEqual([]);
  });
});
