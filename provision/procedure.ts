/**
 * The guide's procedure on the running lab cluster, from the console: each step by its id, its
 * commands and their outcome. `npm run provision` brings the VMs up and runs this inside the
 * lab; on a kept cluster it also runs on its own, inside the lab's namespace:
 *   ip netns exec ha-lab npx tsx provision/procedure.ts [--variant <v>] [--until <id>] [--from <id>] [--only <phase>]
 * `--runbook` writes reports/runbook.md from the last run that carried out every step (no VMs needed).
 * Phases: environment (E1-E3, P1/P2, S1/S2), seed (P3), guide-v1 (its rehearsal on a copy, that
 * variant only), convert (P4-P10), secondary (S3-S7), heartbeat (H1-H4 and the start). A hardened
 * profile (`--profile`) adds HD1 and HD4 to the environment, HD2 and HD3 before heartbeat
 * starts (05-hardening.ts). Steps whose effect is in place are skipped, so a rerun continues.
 */
import { parseArgs } from 'node:util';
import { consoleReporter, log, parseProfileName, parseVariant, PROCEDURE_KEY_FILE, procedureKey, reportFiles, runContext, StartedCluster } from '../harness/index.js';
import { recordRunbook, writeRunbook } from './runbook.js';
import { existingDiskSteps } from './00-existing-disk.js';
import { seedDataSteps } from './01-seed-data.js';
import { convertPrimarySteps } from './02-convert-primary.js';
import { guideV1Steps } from './02-guide-v1-on-a-copy.js';
import { secondarySteps, type SyncMeasurement } from './03-secondary.js';
import { heartbeatConfigSteps, heartbeatStartStep } from './04-heartbeat.js';
import { bootStep, fencePeerStep, linkStep, stonithStep } from './05-hardening.js';
import { procedure, type Procedure } from './context.js';
import { secretValues } from './secrets.js';
import { selectSteps, type Phase } from './select-steps.js';
import { refuseUnlessInPlace, runSteps, Transcript } from './step.js';

/** The guide's phases in order, one per provision/ script. */
export function procedurePhases(p: Procedure, onSync: (m: SyncMeasurement) => void = () => {}): Phase[] {
  return [
    { name: 'environment', steps: [...existingDiskSteps(p), ...(p.t.profile.hardening ? [linkStep(p), fencePeerStep(p)] : [])] },
    { name: 'seed', steps: seedDataSteps(p) },
    ...(p.variant === 'guide-v1' ? [{ name: 'guide-v1', steps: guideV1Steps(p) }] : []),
    { name: 'convert', steps: convertPrimarySteps(p) },
    { name: 'secondary', steps: secondarySteps(p, onSync) },
    { name: 'heartbeat', steps: [...heartbeatConfigSteps(p), ...(p.t.profile.hardening ? [bootStep(p)] : []), ...(p.t.profile.hardening?.heartbeat.stonith ? [stonithStep(p)] : []), heartbeatStartStep(p)] },
  ];
}

/** A phase's steps by name (the spec runs them one test per phase). */
export function phaseSteps(phases: readonly Phase[], name: string): Phase['steps'] {
  const phase = phases.find((ph) => ph.name === name);
  if (!phase) throw new Error(`no phase ${name}; the phases are ${phases.map((ph) => ph.name).join(', ')}`);
  return phase.steps;
}

/** Every step id of the procedure, in order. */
export function stepIds(phases: readonly Phase[]): string[] {
  return phases.flatMap((ph) => ph.steps).map((s) => s.id);
}

/**
 * `tsx provision/procedure.ts [--until|--from <id>] [--only <phase>]` on the running cluster (the
 * variant is the run context's, from the cluster file); `--runbook [--variant v] [--profile p]`
 * renders the runbook of the last full run, without VMs.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { until: { type: 'string' }, from: { type: 'string' }, only: { type: 'string' }, variant: { type: 'string' }, profile: { type: 'string' }, runbook: { type: 'boolean', default: false } },
  });
  if (values.runbook) {
    const variant = parseVariant(values.variant);
    const reports = reportFiles(runContext({ profile: parseProfileName(values.profile), variant }).reportsDir);
    writeRunbook(reports.procedureRecord(variant), reports.runbook(variant));
    log('provision', `runbook written: ${reports.runbook(variant)} (from ${reports.procedureRecord(variant)})`);
    return;
  }
  const cluster = await StartedCluster.attach();
  try {
    const { variant, profile } = cluster.run;
    const p = procedure(cluster);
    const phases = procedurePhases(p);
    const { steps, before } = selectSteps(phases, values);
    await refuseUnlessInPlace(before, steps[0]?.id, new Transcript(secretValues(p.secrets)));
    log('provision', `variant ${variant}; ${steps.length} step(s): ${steps.map((s) => s.id).join(' ')}`);
    const records = await runSteps(steps, secretValues(p.secrets), consoleReporter);
    const last = phases.flatMap((ph) => ph.steps).at(-1);
    if (steps.at(-1) === last) {
      // The whole procedure stands: its code's key on every node, as the procedure spec records it.
      const key = await procedureKey(cluster.run);
      await cluster.each((node) => node.succeed(`echo ${key} > ${PROCEDURE_KEY_FILE}`));
      log('provision', `the procedure is complete (key ${key}); \`npm run e2e -- --keep${variant === 'final' ? '' : ` --variant ${variant}`}${profile === 'guide' ? '' : ` --profile ${profile}`} 02-steady-state\` checks it`);
      const result = await recordRunbook(records, stepIds(phases), variant, cluster.reports);
      log('provision', 'runbook' in result ? `runbook written: ${cluster.reports.runbook(variant)}` : `runbook not rendered from this run: ${result.notRendered}`);
    } else {
      log('provision', `stopped after ${steps.at(-1)?.id}; continue with --from`);
    }
  } finally {
    cluster.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await main().catch((error: Error) => {
    log('provision', `FAILED: ${error.message.split('\n')[0]}`);
    process.exit(1);
  });
}
