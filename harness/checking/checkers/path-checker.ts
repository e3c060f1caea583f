/**
 * The path a fault must take, not only where the service ends: each scenario states, per
 * profile, whether a failover must happen and to which node, whether the power switch must fence,
 * what DRBD must show, and how long the service may be gone. A scenario that ends well after a
 * failover that never came, a fence that never fired or an outage minutes long is UNSAFE.
 */
import { rtoBreakdown } from '../history/ha-log.js';
import { completions, faultWindows, type History } from '../history/history.js';
import { witnessEvents } from '../history/witness.js';
import { availability } from './availability-checker.js';
import { checker, type Checker } from './checker.js';
import { divergence, parseDrbdWords } from './service-checker.js';
import { FENCED, powerOperationsRead } from '../clients/power-switch-reader.js';

export type DrbdPath = 'split-brain' | 'peer-outdated' | 'no-divergence' | 'any';

export interface ExpectedPath {
  /** The node that must serve the VIP after the fault (a failover), `none` (the service must not leave home), `any` (not part of the path). */
  failover: string | 'none' | 'any';
  /** true: the power switch must fence a node (power it off, or find it off: STONITH); false: it must not; absent: the profile has no power switch. */
  fence?: boolean;
  /** What DRBD must show: a split brain, a peer Outdated, no divergence (the split-brain checker's rule), or anything. */
  drbd: DrbdPath;
  /** The longest stretch without an acknowledged write (from the first to the last write) that the scenario allows. */
  outageBudgetSeconds: number;
  /** Each step of heartbeat's takeover (fence, decide, promote, mount, VIP, MariaDB start) within this many seconds. */
  stepBudgetSeconds: number;
}

/**
 * Per takeover step: resource scripts took 5-26 s under TCG in every measured run (MariaDB's start
 * once 56 s, with the old, costlier sampler); a script a minute slower is a finding.
 */
export const STEP_BUDGET_SECONDS = 60;

/** A scenario's path in each profile it is signed off in. */
export type PathsByProfile = Readonly<Record<string, ExpectedPath>>;

/** The path of `profile`; a profile the scenario states no path for is refused, naming both. */
export function pathIn(paths: PathsByProfile, profile: string, scenario: string): ExpectedPath {
  const path = paths[profile];
  if (!path) throw new Error(`scenario ${scenario} states no path for the profile "${profile}" (it has ${Object.keys(paths).join(', ')}): state one beside the scenario`);
  return path;
}

/** One line for the report and the sign-off table. */
export function describePath(path: ExpectedPath): string {
  const failover = path.failover === 'none' ? 'no failover' : path.failover === 'any' ? 'failover not judged' : `failover to ${path.failover}`;
  const fence = path.fence === undefined ? '' : path.fence ? ', a fence' : ', no fence';
  const drbd = path.drbd === 'any' ? '' : `, DRBD ${path.drbd}`;
  return `${failover}${fence}${drbd}, outage ≤ ${path.outageBudgetSeconds} s, each takeover step ≤ ${path.stepBudgetSeconds} s`;
}

const iso = (at: number) => new Date(at).toISOString();

/**
 * Who served on the VIP from the fault's start on: the writes acknowledged there, with the node
 * that acknowledged them, and the host witness's queries a node's MariaDB answered.
 */
function servedAfter(history: History, from: number): { node?: string; invokedAt: number }[] {
  const writes = completions(history.ops({ f: 'write' })).filter((w) => w.type === 'ok' && w.invokedAt >= from && w.node);
  const queries = witnessEvents(history, 'mysql').filter((q) => q.node && q.at >= from).map((q) => ({ node: q.node, invokedAt: q.at }));
  return [...writes, ...queries].sort((a, b) => a.invokedAt - b.invokedAt);
}

/**
 * The failover, as the clients saw it: a write through the VIP acknowledged by the expected node
 * after the fault began (FAILOVER-MISSING otherwise); with `none`, no write acknowledged by any
 * node but `home` (FAILOVER-UNEXPECTED). Without a fault or any write there is nothing to see.
 */
export function failoverChecker(expected: ExpectedPath['failover'], home: string): Checker {
  return checker('availability: the failover the scenario expects', (history) => {
    const window = faultWindows(history, Infinity)[0];
    if (!window) return { valid: 'unknown', findings: [{ id: 'FAULT-UNSEEN', message: 'the history has no fault: the path cannot be judged' }], evidence: {} };
    const served = servedAfter(history, window.from);
    const byNode: Record<string, number> = {};
    for (const w of served) byNode[w.node!] = (byNode[w.node!] ?? 0) + 1;
    const evidence = { expected, acknowledgedAfterTheFaultBy: byNode };
    if (expected === 'any') return { valid: true, findings: [], evidence };
    if (expected === 'none') {
      const away = served.filter((w) => w.node !== home);
      return {
        valid: !away.length,
        findings: away.length ? [{ id: 'FAILOVER-UNEXPECTED', message: `the scenario expects no failover, yet ${away.length} write(s) or witness queries after the fault were served away from ${home}, the first by ${away[0].node} at ${iso(away[0].invokedAt)}`, evidence }] : [],
        evidence,
      };
    }
    const first = served.find((w) => w.node === expected);
    if (first) return { valid: true, findings: [], evidence: { ...evidence, firstServedAt: iso(first.invokedAt), secondsAfterTheFault: (first.invokedAt - window.from) / 1000 } };
    const writes = completions(history.ops({ f: 'write' })).filter((w) => w.invokedAt >= window.from);
    if (!writes.length) return { valid: 'unknown', findings: [{ id: 'FAILOVER-UNSEEN', message: 'no write was attempted after the fault: whether the service failed over was not seen' }], evidence };
    const others = Object.entries(byNode).map(([node, n]) => `${n} by ${node}`).join(', ') || 'none at all';
    return {
      valid: false,
      findings: [{ id: 'FAILOVER-MISSING', message: `the scenario expects a failover to ${expected}, and nothing after the fault was served by ${expected} (writes acknowledged and the witness's queries answered after the fault: ${others})`, evidence }],
      evidence,
    };
  });
}

/**
 * The fence, from the power switch's own log: a node it fenced after the fault began (power cut,
 * or found off: a PDU confirms that too) where the scenario expects STONITH (FENCE-MISSING
 * otherwise), none where it expects none (FENCE-UNEXPECTED). A log that was not read decides nothing.
 */
export function fenceChecker(expected: boolean): Checker {
  return checker('exclusive ownership: the fence the scenario expects', (history) => {
    const operations = powerOperationsRead(history);
    if (!operations) return { valid: 'unknown', findings: [{ id: 'FENCE-UNSEEN', message: "the power switch's log was not read: whether a node was fenced is not known" }], evidence: {} };
    const from = faultWindows(history, Infinity)[0]?.from ?? -Infinity;
    const cuts = operations.filter((op) => Date.parse(op.at) >= from && FENCED.includes(op.outcome));
    const evidence = { expected, fences: cuts.map((op) => `${op.at} ${op.from} → ${op.action} ${op.node}: ${op.outcome}`) };
    if (expected && !cuts.length) {
      const refused = operations.filter((op) => !FENCED.includes(op.outcome)).map((op) => `${op.node} ${op.outcome}${op.detail ? ` (${op.detail})` : ''}`);
      return { valid: false, findings: [{ id: 'FENCE-MISSING', message: `the scenario expects STONITH, and the power switch fenced no node after the fault${refused.length ? ` (it answered: ${refused.join('; ')})` : ' (nobody asked it)'}`, evidence }], evidence };
    }
    if (!expected && cuts.length) {
      return { valid: false, findings: [{ id: 'FENCE-UNEXPECTED', message: `the scenario expects no fence, and the power switch fenced ${cuts.map((op) => `${op.node} at ${op.at} (asked by ${op.from})`).join(', ')}`, evidence }], evidence };
    }
    return { valid: true, findings: [], evidence };
  });
}

/** DRBD's path: the split brain a fault must cause (the guide's F1), or the peer it must Outdate (the hardened F4). */
export function drbdPathChecker(expected: Exclude<DrbdPath, 'any' | 'no-divergence'>): Checker {
  return checker(`DRBD path: ${expected}`, (history) => {
    if (expected === 'split-brain') {
      const seen = divergence(history);
      if (seen.kernel.length || seen.standalone.length) return { valid: true, findings: [], evidence: { kernel: seen.kernel.length, standalone: seen.standalone.length } };
      if (seen.unreadKernels.length) return { valid: 'unknown', findings: [{ id: 'KERNEL-LOG-UNREAD', message: `the scenario expects a split brain, none was seen, and the kernel log of ${seen.unreadKernels.join(', ')} was not read` }], evidence: {} };
      return { valid: false, findings: [{ id: 'SPLIT-BRAIN-MISSING', message: 'the scenario expects DRBD to report a split brain, and no node did (no kernel line, no lasting StandAlone)' }], evidence: {} };
    }
    const from = faultWindows(history, Infinity)[0]?.from ?? -Infinity;
    const outdated = history.observations().find((o) => o.at >= from && o.state !== 'unknown' && /Outdated/.test(parseDrbdWords(o.state.drbd ?? '').ds ?? ''));
    return outdated
      ? { valid: true, findings: [], evidence: { firstSeen: `${outdated.node} ${iso(outdated.at)}` } }
      : { valid: false, findings: [{ id: 'PEER-OUTDATED-MISSING', message: 'the scenario expects DRBD to outdate the peer, and no node was seen with an Outdated disk after the fault' }], evidence: {} };
  });
}

/**
 * The longest outage (between two acknowledged writes, or from the last one to the end when the
 * service did not come back) against the scenario's budget: over it is OUTAGE-OVER-BUDGET,
 * whatever the end state.
 */
export function outageBudgetChecker(budgetSeconds: number): Checker {
  return checker("availability: the longest outage within the scenario's budget", (history) => {
    const acknowledged = history.ops({ f: 'write', type: 'ok' });
    if (!acknowledged.length) return { valid: 'unknown', findings: [{ id: 'OUTAGE-UNSEEN', message: 'no write was acknowledged: the outage cannot be measured' }], evidence: {} };
    const { longestOutageSeconds } = availability(history);
    const evidence = { longestOutageSeconds, budgetSeconds };
    return longestOutageSeconds > budgetSeconds
      ? { valid: false, findings: [{ id: 'OUTAGE-OVER-BUDGET', message: `the service was gone ${longestOutageSeconds.toFixed(0)} s, over the scenario's budget of ${budgetSeconds} s`, seconds: longestOutageSeconds, evidence }], evidence }
      : { valid: true, findings: [], evidence };
  });
}

/**
 * The takeover's steps that its resource scripts and heartbeat's decision take (detect is deadtime,
 * and the clients' reconnect is not heartbeat's). Failed attempts are not a step: a takeover that
 * failed at drbddisk and a later one that got the group are the outage budget's to judge.
 */
const TIMED_STEPS = ['fence', 'decide', 'promote', 'mount', 'VIP', 'MariaDB start'];

/**
 * Each step of the takeover heartbeat logged within `budgetSeconds`: a resource script that takes
 * a minute, or a fence that retries for minutes, is TAKEOVER-STEP-OVER-BUDGET even where the RTO's
 * floor, which adds the scripts' own times, moves with it. No takeover logged: nothing to judge here.
 */
export function takeoverStepsChecker(budgetSeconds: number, deadtimeSeconds: number): Checker {
  return checker('availability: each takeover step within its budget', (history) => {
    const breakdown = rtoBreakdown(history, availability(history).rtoSeconds, deadtimeSeconds);
    if (!breakdown) return { valid: true, findings: [], evidence: { takeover: 'none logged' } };
    // Without a death verdict in its log (a graceful handover, ipfail's move) "decide" runs from the fault and holds the peer's release: not heartbeat's own step.
    const detected = breakdown.segments.find((s) => s.name === 'detect')?.seconds !== undefined;
    const timed = breakdown.segments.filter((s) => TIMED_STEPS.includes(s.name) && (s.name !== 'decide' || detected));
    const over = timed.filter((s) => s.seconds !== undefined && s.seconds > budgetSeconds);
    const evidence = { steps: Object.fromEntries(breakdown.segments.map((s) => [s.name, s.seconds ?? null])), budgetSeconds };
    return {
      valid: !over.length,
      findings: over.length ? [{
        id: 'TAKEOVER-STEP-OVER-BUDGET',
        message: `${breakdown.node}'s takeover: ${over.map((s) => `${s.name} took ${s.seconds!.toFixed(0)} s`).join(', ')}, over the budget of ${budgetSeconds} s per step`,
        seconds: Math.max(...over.map((s) => s.seconds!)),
        evidence,
      }] : [],
      evidence,
    };
  });
}

/** Every check of the path a scenario states. */
export function pathCheckers(path: ExpectedPath, home: string, deadtimeSeconds: number): Checker[] {
  return [
    failoverChecker(path.failover, home),
    ...(path.fence === undefined ? [] : [fenceChecker(path.fence)]),
    ...(path.drbd === 'split-brain' || path.drbd === 'peer-outdated' ? [drbdPathChecker(path.drbd)] : []),
    outageBudgetChecker(path.outageBudgetSeconds),
    takeoverStepsChecker(path.stepBudgetSeconds, deadtimeSeconds),
  ];
}
