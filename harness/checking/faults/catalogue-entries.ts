/**
 * The fault catalogue as one table: what each F scenario breaks, what the guide's configuration
 * is expected to do, and the ranges a seeded random schedule may draw for it. Each F spec file
 * runs its entry with the catalogue's own parameters; `--nemesis random` draws from the same rows.
 */
import { diskFailure, failbackDuringResync, freeze, heartbeatCut, killMysqld, linkCut, nicDown, replicationCutThenCrash, switchover } from './catalogue.js';
import type { Fault, TargetSelector } from './fault.js';
import type { Checker } from '../checkers/checker.js';
import { STEP_BUDGET_SECONDS, type ExpectedPath, type PathsByProfile } from '../checkers/path-checker.js';
import { primaryOnInconsistentChecker } from '../checkers/service-checker.js';
import type { NemesisChoice } from '../nemesis/random-schedule.js';

/** What a schedule may vary: how long the fault holds, and which node it strikes. */
export interface FaultParameters {
  holdSeconds?: number;
  target?: string;
}

/** How long a scenario holds an entry's fault before the heal: the schedule's draw, else the catalogue's; none where the hold is the fault's own first step (F4's cut before the crash). */
export function holdOf(entry: CatalogueEntry, drawn?: FaultParameters): number {
  return entry.holdIsFirstStep ? 0 : drawn?.holdSeconds ?? entry.holdSeconds;
}

export interface CatalogueEntry {
  id: string;
  name: string;
  /** What the guide's configuration is expected to do, in words, for the report. */
  expectation: string;
  /** What the hardened profile (topology.hardened.json) is expected to do instead. */
  hardened: string;
  /** The path the fault must take, per profile: judged, not only described. */
  paths: PathsByProfile;
  /** The fault, on the node a schedule drew (default: the catalogue's). */
  fault: (parameters?: FaultParameters) => Fault;
  /** How long the fault holds before the heal (the scenario holds it; a schedule draws another). */
  holdSeconds: number;
  /** The hold is the first step of the fault itself (F4: the replication cut before the crash), not a wait before the heal. */
  holdIsFirstStep?: boolean;
  /** A failover is expected when the fault strikes the serving node. */
  awaitFailover: boolean;
  /** Where the hardened profile expects otherwise (no takeover over a surviving path; an Outdated peer that refuses): default awaitFailover. */
  hardenedAwaitsFailover?: boolean;
  /** The fault can leave the disks diverged: recover with DRBD's documented split-brain steps, linux01 the survivor. */
  mayDiverge?: boolean;
  /** Checkers of this scenario's own expectation, beside the composed ones (judged the same way). */
  checkers?: Checker[];
  /** What the random nemesis may draw for it; absent: never drawn. */
  nemesis?: Omit<NemesisChoice, 'id' | 'name'>;
}

/**
 * A path in a few words. Outage budgets: about twice the longest outage measured on this machine
 * kind under TCG (README, "Measured"), so that a failover that never comes or a takeover minutes
 * late is over it and a slow day is not; each takeover step is held to STEP_BUDGET_SECONDS.
 */
export function expectedPath(failover: ExpectedPath['failover'], drbd: ExpectedPath['drbd'], outageBudgetSeconds: number, fence?: boolean): ExpectedPath {
  return { failover, drbd, outageBudgetSeconds, stepBudgetSeconds: STEP_BUDGET_SECONDS, ...(fence !== undefined && { fence }) };
}

/** The node a schedule drew, or the catalogue's default (the serving node). */
const target = (name: string | undefined): TargetSelector | undefined => (name ? (cluster) => [cluster.node(name)] : undefined);
const bothNodes = ['linux01', 'linux02'] as const;

// typicalSeconds: the spec's duration measured under TCG (2026-11-27) less its hold and its quiet window.
export const CATALOGUE = {
  F1: {
    id: 'F1', name: 'link between the nodes cut',
    expectation: 'linux02 takes over while linux01 keeps serving: two Primaries, two VIP holders; on heal DRBD reports split brain',
    hardened: 'the dedicated link keeps heartbeat and DRBD talking: no takeover, nothing diverges',
    paths: { guide: expectedPath('linux02', 'split-brain', 360), hardened: expectedPath('none', 'no-divergence', 30, false) },
    fault: () => linkCut(), holdSeconds: 60, awaitFailover: true, hardenedAwaitsFailover: false, mayDiverge: true,
    nemesis: { holdSeconds: [30, 90], typicalSeconds: 330 },
  },
  F2: {
    id: 'F2', name: "linux01's lab NIC down",
    expectation: 'linux02 takes over; on heal, likely StandAlone',
    hardened: 'heartbeat still sees linux01 over the link; ipfail moves the group off the node that lost the ping node',
    paths: { guide: expectedPath('linux02', 'split-brain', 360), hardened: expectedPath('linux02', 'no-divergence', 220, false) },
    fault: (o) => nicDown(target(o?.target)), holdSeconds: 60, awaitFailover: true, mayDiverge: true,
    nemesis: { holdSeconds: [30, 90], targets: bothNodes, typicalSeconds: 270 },
  },
  F3: {
    id: 'F3', name: 'linux01 frozen',
    expectation: 'linux01 wakes up still holding everything while linux02 has taken over',
    hardened: 'linux02 declares linux01 dead and has the power switch power-cycle it (STONITH) before it takes over: linux01 never wakes up Primary',
    paths: { guide: expectedPath('linux02', 'any', 180), hardened: expectedPath('linux02', 'no-divergence', 180, true) },
    fault: (o) => freeze(target(o?.target)), holdSeconds: 45, awaitFailover: true, mayDiverge: true,
    nemesis: { holdSeconds: [20, 60], targets: bothNodes, typicalSeconds: 190 },
  },
  F4: {
    id: 'F4', name: 'replication cut, then linux01 crashes',
    expectation: 'linux02 promotes its stale disk: writes acknowledged during the cut are lost',
    hardened: 'linux01 freezes its I/O when DRBD notices the cut until dopd has outdated linux02, then the Outdated linux02 refuses to serve (no stale data, no service); when the outdate reaches linux02 before its DRBD has noticed the cut, dopd answers "unreachable", linux01 assumes it dead and goes on alone: split brain (UNSAFE)',
    paths: { guide: expectedPath('linux02', 'any', 180), hardened: expectedPath('any', 'any', 260, true) },
    fault: (o) => replicationCutThenCrash(o?.holdSeconds ?? 20), holdSeconds: 20, holdIsFirstStep: true, awaitFailover: true, hardenedAwaitsFailover: false, mayDiverge: true,
    nemesis: { holdSeconds: [10, 40], typicalSeconds: 330 },
  },
  F5: {
    id: 'F5', name: "heartbeat's packets cut",
    expectation: "linux02's takeover fails at drbddisk; no double owner",
    hardened: "heartbeat is cut on both paths: linux02 declares linux01 dead and power-cycles it (STONITH) before it takes over",
    paths: { guide: expectedPath('any', 'no-divergence', 150), hardened: expectedPath('any', 'no-divergence', 150, true) },
    fault: () => heartbeatCut(), holdSeconds: 45, awaitFailover: false, mayDiverge: true,
    nemesis: { holdSeconds: [20, 60], typicalSeconds: 240 },
  },
  F6: {
    id: 'F6', name: "linux01's backing disk fails",
    expectation: "DRBD detaches and serves through linux02's disk; nothing in heartbeat v1 notices",
    hardened: "as the guide: DRBD detaches and serves through linux02's disk",
    paths: { guide: expectedPath('none', 'no-divergence', 30), hardened: expectedPath('none', 'no-divergence', 30, false) },
    fault: () => diskFailure(), holdSeconds: 30, awaitFailover: false,
    nemesis: { holdSeconds: [15, 45], typicalSeconds: 60 },
  },
  F7: {
    id: 'F7', name: 'mysqld killed on the active node',
    expectation: 'no monitoring in heartbeat v1: whatever restarts it (or not) is reported',
    hardened: 'as the guide: no monitoring in heartbeat v1',
    paths: { guide: expectedPath('none', 'no-divergence', 45), hardened: expectedPath('none', 'no-divergence', 45, false) },
    fault: (o) => killMysqld(target(o?.target)), holdSeconds: 30, awaitFailover: false,
    // Only the serving node runs mysqld: on the standby there is nothing to kill (and the heal would start one on an unmounted datadir).
    nemesis: { holdSeconds: [15, 45], typicalSeconds: 50 },
  },
  F8: {
    id: 'F8', name: 'failback during resync, then linux02 dies',
    expectation: 'linux01 is left with Inconsistent data under the service',
    hardened: "linux01 returns by itself, but heartbeat waits for its disk to be UpToDate: no failback onto the resync's target",
    paths: { guide: expectedPath('linux02', 'any', 300), hardened: expectedPath('linux02', 'no-divergence', 200, true) },
    fault: () => failbackDuringResync(), holdSeconds: 30, awaitFailover: false,
    checkers: [primaryOnInconsistentChecker()],
    nemesis: { holdSeconds: [20, 40], typicalSeconds: 350 },
  },
  F9: {
    id: 'F9', name: 'graceful switchover under load',
    expectation: 'no acknowledged write lost, one owner at a time',
    hardened: 'as the guide: no acknowledged write lost, one owner at a time',
    paths: { guide: expectedPath('linux02', 'no-divergence', 130), hardened: expectedPath('linux02', 'no-divergence', 150, false) },
    fault: () => switchover(), holdSeconds: 20, awaitFailover: true,
    nemesis: { holdSeconds: [10, 40], typicalSeconds: 170 },
  },
} satisfies Record<string, CatalogueEntry>;

/** The rows a random schedule draws from, in catalogue order. */
export function nemesisChoices(): NemesisChoice[] {
  // A fault that may strike either node is named for any node: the draw says which.
  return Object.values(CATALOGUE as Record<string, CatalogueEntry>).flatMap((e) => (e.nemesis
    ? [{ id: e.id, name: e.nemesis.targets ? e.name.replace('linux01', 'a node') : e.name, ...e.nemesis }]
    : []));
}
