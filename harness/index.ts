/**
 * ha-lab's public surface: the only door for `specs/` and `provision/`. Three layers stand
 * behind it, and the folders show them:
 *   harness/host/      host orchestration: box, accelerator, isolated lab, preflight, vagrant, CLI
 *   harness/cluster/   the cluster library: topology, node (SSH, power, heartbeat verbs), DRBD, MySQL, cluster
 *   harness/checking/  checking: history, clients, faults, checkers, timeline, scenario runner, report
 * and harness/support/ holds what all three share (paths, log, waits, timeouts, the reporter).
 */

// The cluster library.
export { StartedCluster, parseClusterInfo, type ClusterInfo, type Intervention, type StartState } from './cluster/cluster.js';
export { PROCEDURE_KEY_FILE, procedureKey, SNAPSHOT_PREFIX } from './cluster/snapshot.js';
export { LabNode, CommandError, Heartbeat, isUnreachable, type CommandResult, type NodeAccess, type RunOptions } from './cluster/node/node.js';
export { loadTopology, validateTopology, type NodeSpec, type ResolvedTopology, type Topology } from './config/topology.js';
export { GUIDE_PROFILE, knownProfiles, MANAGEMENT_GATEWAY, parseProfileName, powerSwitchUrl, replicationPath, type Hardening, type Profile } from './config/profile.js';
export { applyMapping, loadOperatorConfig, OperatorConfigError, withOperatorConfig, type ConfigProblem, type OperatorConfig } from './config/operator-config.js';
export { parseRunContext, reportFiles, reportsDirOf, runContext, type ReportFiles, type RunContext } from './config/run-context.js';
export { drbdMinor, drbdState, procDrbd } from './cluster/drbd/drbd.js';
export { parseVerifyLines, verifyOnline, type VerifyOutcome } from './cluster/drbd/online-verify.js';
export { readMysqlFacts, readNodeConfig, type MysqlFacts, type NodeConfig } from './cluster/audit/deployed-config.js';
export { audit, configFindingId, configVerdicts, describeDeviations, renderAuditTable, requirementProperty, REQUIREMENTS, type AuditInput, type AuditRow, type Requirement } from './checking/audit/requirements.js';
export { parseProcDrbd, describeState, inSync, type DrbdState } from './cluster/drbd/proc-drbd.js';
export { internalMetadataSectors, planExtension } from './cluster/drbd/metadata.js';
export { RESOURCES, describeHoldings, holdsAll, holdsNone, type Holdings, type Resource } from './cluster/heartbeat/holdings.js';
export { readHoldings } from './cluster/heartbeat/read-holdings.js';
export { MYSQL_PORT, vipPool, readEvidence, servedBy } from './cluster/mysql/vip.js';
export { compareEvidence, evidenceCommand, listTablesSql, parseEvidence, type TableEvidence } from './cluster/mysql/evidence.js';

// Checking.
export { History, type HistoryEvent, type OpEvent, type ObserveEvent } from './checking/history/history.js';
export { compose, checker, describeValidity, summarize, type Checker, type CheckResult, type Finding, type Validity } from './checking/checkers/checker.js';
export { scenarioChecker } from './checking/checkers/scenario-checker.js';
export { replicaCheck, type ReplicaComparison } from './checking/checkers/replica-checker.js';
export { describePath, pathIn, STEP_BUDGET_SECONDS, type ExpectedPath, type PathsByProfile } from './checking/checkers/path-checker.js';
export { finalStates, primaryOnInconsistentChecker } from './checking/checkers/service-checker.js';
export { LEDGER_TABLE } from './checking/clients/ledger-writer.js';
export {
  BURST_CUT_NOTE, burstPowerCut, CACHE_LOSS, cacheLosses, type CacheLoss, diskFailure, failbackDuringResync, freeze, heartbeatCut, killHeartbeat, killMysqld, linkCut, nicDown, powerCut, replicationCutThenCrash, stopHeartbeat, switchover,
} from './checking/faults/catalogue.js';
export { primaryNode, sequence, type Fault, type FaultContext, type FaultStep, type TargetSelector } from './checking/faults/fault.js';
export { runScenario, quietSecondsFor, LIVENESS_SECONDS, type Scenario, type ScenarioEnv, type ScenarioRun } from './checking/scenario/scenario.js';
export { renderTimelineSvg } from './checking/timeline/timeline-svg.js';
export { recordMetric } from './checking/report/metrics.js';
export { availability, rtoBreakdownOf } from './checking/checkers/availability-checker.js';
export { countLedger, durabilityAtCut, type DurabilityAtCut } from './checking/checkers/ledger-checker.js';
export { seededRandom } from './support/random.js';
export { describePlan, parseDuration, parseSeed, planRandomNemesis, replayCommand, type NemesisChoice, type NemesisPlan, type PlannedFault } from './checking/nemesis/random-schedule.js';
export { judge, loadAcceptance, propertyVerdicts, PROPERTIES, type Property, type PropertyVerdict } from './checking/signoff/acceptance.js';
export { readSignoffRows, renderSignoffMarkdown, renderSignoffText, type SignoffRow } from './checking/signoff/signoff-table.js';
export { conversionVerdict, describeConversion, type ConversionFacts } from './checking/conversion/conversion-checker.js';
export { recoverSplitBrain } from './checking/faults/recovery.js';
export { recoverDivergence } from './checking/faults/divergence-recovery.js';
export { CATALOGUE, expectedPath, holdOf, nemesisChoices, type CatalogueEntry, type FaultParameters } from './checking/faults/catalogue-entries.js';
export { blogCheck, blogDifferences } from './checking/checkers/blog-checker.js';
export { killedHeartbeatViewCheck } from './checking/checkers/heartbeat-view-checker.js';
export { configSignoffRow, rejudge, signoffRow } from './checking/signoff/signoff-row.js';
export { haLogSince } from './checking/clients/ha-log-reader.js';
export { nodesDeclaredDead } from './checking/history/ha-log.js';
export { attachDiagnostics } from './checking/report/diagnostics.js';
export { allureReporter } from './checking/report/allure-reporter.js';

// Shared.
export { log } from './support/log.js';
export { sustained, waitFor } from './support/wait.js';
export { sleep, withTimeout } from './support/time.js';
export { consoleReporter, type Reporter } from './support/reporter.js';
export { ACCEPTANCE_DIR, CLUSTER_FILE, EVIDENCE_BEFORE_FILE, PROJECT_DIR, SECRETS_FILE } from './support/paths.js';
export { parseVariant, VARIANTS, VariantError, type Variant } from './config/variant.js';

// Host orchestration the specs' run needs: the lab's power switch (a hardened profile's STONITH).
export { Hypervisor, type Domain } from './hypervisor/hypervisor.js';
export { describeOperation, startPowerSwitch, type PowerOperation, type PowerSwitch } from './hypervisor/power-switch/power-switch.js';
