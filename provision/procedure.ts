/**
 * The guide's procedure on the running lab cluster, from the console: each step by its id, its
 * commands and their outcome. `npm run provision` brings the VMs up and runs this inside the
 * lab; on a kept cluster it also runs on its own, inside the lab's namespace:
 *   ip netns exec ha-lab npx tsx provision/procedure.ts [--until <id>] [--from <id>] [--only <phase>]
 * `--runbook` writes reports/runbook.md from the last run that carried out every step (no VMs needed).
 * Phases: environment (E1, P1/P2, S1/S2), seed (P3), convert (P4-P10), secondary (S3-S7),
 * heartbeat (H1-H4 and the start). Steps whose effect is in place are skipped, so a rerun continues.
 */
import { parseArgs } from 'node:util';
import { consoleReporter, log, PROCEDURE_KEY_FILE, PROCEDURE_RECORD_FILE, procedureKey, RUNBOOK_FILE, StartedCluster } from '../harness/index.js';
import { recordRunbook, writeRunbook } from './runbook.js';
import { existingDiskSteps } from './00-existing-disk.js';
import { seedDataSteps } from './01-seed-data.js';
import { convertPrimarySteps } from './02-convert-primary.js';
import { secondarySteps } from './03-secondary.js';
import { heartbeatConfigSteps, heartbeatStartStep } from './04-heartbeat.js';
import { procedure, type Procedure } from './context.js';
import { secretValues } from './secrets.js';
import { selectSteps, type Phase } from './select-steps.js';
import { runSteps, Transcript } from './step.js';

/** The guide's phases in order, one per provision/ script. */
export function procedurePhases(p: Procedure): Phase[] {
  return [
    { name: 'environment', steps: existingDiskSteps(p) },
    { name: 'seed', steps: seedDataSteps(p) },
    { name: 'convert', steps: convertPrimarySteps(p) },
    { name: 'secondary', steps: secondarySteps(p, () => {}) },
    { name: 'heartbeat', steps: [...heartbeatConfigSteps(p), heartbeatStartStep(p)] },
  ];
}

/** Every step id of the procedure, in order. */
export function stepIds(phases: readonly Phase[]): string[] {
  return phases.flatMap((ph) => ph.steps).map((s) => s.id);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { until: { type: 'string' }, from: { type: 'string' }, only: { type: 'string' }, runbook: { type: 'boolean', default: false } } });
  if (values.runbook) {
    writeRunbook(PROCEDURE_RECORD_FILE, RUNBOOK_FILE);
    log('provision', `runbook written: ${RUNBOOK_FILE} (from ${PROCEDURE_RECORD_FILE})`);
    return;
  }
  const cluster = await StartedCluster.attach();
  try {
    const p = procedure(cluster);
    const phases = procedurePhases(p);
    const { steps, before } = selectSteps(phases, values);
    // --from/--only stand on the steps before: each that can check its effect must find it in place.
    const transcript = new Transcript(secretValues(p.secrets));
    for (const step of before) {
      if (!step.done) continue;
      if (!(await step.done(transcript))) {
        throw new Error(`refusing to start at ${steps[0]?.id}: step ${step.id} (${step.title}) before it is not in place; run without --from/--only, or --until ${step.id} first`);
      }
    }
    log('provision', `${steps.length} step(s): ${steps.map((s) => s.id).join(' ')}`);
    const records = await runSteps(steps, secretValues(p.secrets), consoleReporter);
    const last = phases.flatMap((ph) => ph.steps).at(-1);
    if (steps.at(-1) === last) {
      // The whole procedure stands: its code's key on every node, as the procedure spec records it.
      const key = await procedureKey();
      await cluster.each((node) => node.succeed(`echo ${key} > ${PROCEDURE_KEY_FILE}`));
      log('provision', `the procedure is complete (key ${key}); \`npm run e2e -- --keep 02-steady-state\` checks it`);
      const result = await recordRunbook(records, stepIds(phases));
      log('provision', 'runbook' in result ? `runbook written: ${RUNBOOK_FILE}` : `runbook not rendered from this run: ${result.notRendered}`);
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
