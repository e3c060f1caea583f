/**
 * ha-lab's public surface: what specs and provisioning use. Everything else under harness/
 * is the orchestrator's own machinery (box, lab, vagrant, cli).
 */
export { StartedCluster, StoppedCluster, type ClusterInfo } from './cluster/cluster.js';
export { LabNode, CommandError, type CommandResult, type RunOptions } from './node/node.js';
export { loadTopology, validateTopology, type ResolvedTopology, type Topology } from './topology/topology.js';
export { drbdState, procDrbd } from './drbd/drbd.js';
export { parseProcDrbd, describeState, inSync, type DrbdState } from './drbd/proc-drbd.js';
export { internalMetadataSectors, planExtension } from './drbd/metadata.js';
export { ownership, ownsAll, ownsNone, describeOwnership, type Ownership } from './heartbeat/owners.js';
export { establishSteadyState } from './heartbeat/steady-state.js';
export { vipPool, readEvidence, servedBy } from './mysql/vip.js';
export { compareEvidence, parseEvidence, type TableEvidence } from './mysql/evidence.js';
export { stopHeartbeat, startHeartbeat, killHeartbeat, crash, boot } from './faults/faults.js';
export { runFailoverScenario, type ScenarioPlan, type ScenarioResult } from './faults/scenario.js';
export { checkLedger, type Attempt, type LedgerVerdict } from './ledger/ledger.js';
export { waitFor } from './wait/wait.js';
export { recordMetric } from './report/metrics.js';
export { attachDiagnostics } from './report/diagnostics.js';
