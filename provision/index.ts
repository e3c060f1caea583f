/**
 * The procedure under test, as a library: the only door for `specs/`. One script per phase of
 * the guide (00-05, each step named by its id), the files they render (config/), and the
 * runbook and transcript they keep. `tsx provision/procedure.ts` runs it from the console.
 */
export { procedure, type Procedure } from './context.js';
export { phaseSteps, procedurePhases, stepIds } from './procedure.js';
export type { Phase } from './select-steps.js';
export { runSteps, type StepRecord } from './step.js';
export { recordRunbook } from './runbook.js';
export { HARNESS_DB_USER, loadSecrets, redact, secretValues, WORDPRESS_DB_USER } from './secrets.js';
export { describeVariant } from './00-existing-disk.js';
export { evidenceBefore, MARIADB_CNF, OPERATOR_MARIADB_CNF, WORDPRESS_CNF } from './01-seed-data.js';
export { backupFile } from './02-convert-primary.js';
export { DRBD_CONF, procedureLayout } from './drbd-steps.js';
export { readRehearsal, rehearsalDir } from './02-guide-v1-on-a-copy.js';
export type { SyncMeasurement } from './03-secondary.js';
export { renderDrbdConf } from './config/drbd-conf.js';
export { renderAuthkeys, renderHaCf, renderHaresources } from './config/heartbeat.js';
export { operatorFiles, renderedFiles, type ClusterFiles } from './config/cluster-files.js';
export { renderMariadbCnf, renderWordpressConfig } from './config/mariadb.js';
