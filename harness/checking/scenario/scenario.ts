import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type mysql from 'mysql2/promise';
import type { Intervention, StartedCluster, StartState } from '../../cluster/cluster.js';
import { describeHoldings, holdsAll, holdsNone } from '../../cluster/heartbeat/holdings.js';
import { servedBy } from '../../cluster/mysql/vip.js';
import { log } from '../../support/log.js';
import type { Reporter } from '../../support/reporter.js';
import { sustained, waitFor } from '../../support/wait.js';
import { sleep } from '../../support/time.js';
import { availability } from '../checkers/availability-checker.js';
import { describeValidity, summarize, type CheckResult } from '../checkers/checker.js';
import { countLedger } from '../checkers/ledger-checker.js';
import { scenarioChecker } from '../checkers/scenario-checker.js';
import { describePath, type ExpectedPath } from '../checkers/path-checker.js';
import { finalStates, parseDrbdWords } from '../checkers/service-checker.js';
import { haLogMarks, recordHaLogMilestones } from '../clients/ha-log-reader.js';
import { readPowerOperations, recordPowerOperations } from '../clients/power-switch-reader.js';
import { describeOperation } from '../../hypervisor/power-switch/power-switch.js';
import { LedgerWriters, writerOptions, type WriterOptions } from '../clients/ledger-writer.js';
import { NodeObserver } from '../clients/node-observer.js';
import { VipWitness } from '../clients/vip-witness.js';
import { nemesis, type Fault, type FaultContext } from '../faults/fault.js';
import { recordSplitBrainLines, splitBrainLines } from '../faults/recovery.js';
import { describeBreakdown, rtoBreakdown } from '../history/ha-log.js';
import { throughput } from '../history/throughput.js';
import { handovers, History, RESOURCES, type Handover } from '../history/history.js';
import { recordMetric } from '../report/metrics.js';
import { renderTimelineSvg } from '../timeline/timeline-svg.js';

/** The service must come back at all within this: the only time bound that fails a scenario by itself. */
export const LIVENESS_SECONDS = 240;

/**
 * How long a settled cluster must stay settled before a scenario may end: heartbeat notices a
 * healed partition within a keepalive or two and then restarts itself, giving the group up; four
 * deadtimes (20 s with the guide's 5 s) cover that with room for a TCG guest's slowness.
 */
export function quietSecondsFor(deadtimeSeconds: number): number {
  return Math.max(15, 4 * deadtimeSeconds);
}

export interface Scenario {
  /** The catalogue's id (S1…, F1…): what the accepted findings and the sign-off table speak of. */
  id: string;
  name: string;
  fault: Fault;
  /** How long the fault holds before the heal (a schedule varies it); the failover wait and the checks while faulted come after it. */
  holdSeconds?: number;
  /** Wait for the service to answer on the VIP again before healing (a failover is expected). */
  awaitFailover: boolean;
  /** While the fault holds, after the failover: what the spec checks (V2). */
  whileFaulted?: (servedByHost: string | undefined) => Promise<void>;
  /** Where the service must be after the heal (auto_failback: linux01). */
  endsOn: string;
  /** The path the fault must take in this profile: the failover, the fence, DRBD's word, the outage budget. */
  path: ExpectedPath;
  /**
   * After the heal, for a fault that can leave the disks diverged: the documented recovery
   * (DRBD's manual split-brain recovery), each command a note in the history. `haLogMarks`: where
   * each node's ha-log ended before the fault (what heartbeat wrote since is the scenario's).
   */
  recover?: (cluster: StartedCluster, history: History, haLogMarks: ReadonlyMap<string, number>) => Promise<Intervention[]>;
  /** How long the service may take to settle after the heal before that is an outcome (default LIVENESS_SECONDS). */
  settleSeconds?: number;
  /** Seconds of acknowledged writes before the fault strikes (a seeded schedule draws them; default none beyond the first writes). */
  leadSeconds?: number;
  /** How long the service must stay settled after the heal (a seeded schedule's recovery window; default 4 × deadtime). */
  quietSeconds?: number;
  /** The writers' pace, where the scenario needs another (a burst: no pause between writes). */
  writers?: Partial<Pick<WriterOptions, 'intervalMs'>>;
}

export interface ScenarioEnv {
  cluster: StartedCluster;
  pool: mysql.Pool;
  credentials: { user: string; password: string };
  report: Reporter;
}

export interface ScenarioRun {
  id: string;
  name: string;
  history: History;
  verdict: CheckResult;
  /** What the harness had to do beyond the documented steps, to reach the start state or recover (findings, never silent). */
  interventions: Intervention[];
  start: StartState;
  failoverHost?: string;
  /** The first error that stopped the scenario before its end, if any: the verdict is then partial. */
  error?: Error;
  handovers: Handover[];
  directory: string;
  /** The path the scenario stated, which the verdict judged. */
  path: ExpectedPath;
}

/**
 * What the harness had to do to reach the start state is a finding of availability, never a
 * silent repair: the cluster did not get there by itself.
 */
function withInterventions(verdict: CheckResult, interventions: readonly Intervention[]): CheckResult {
  if (!interventions.length) return verdict;
  const part: CheckResult = {
    checker: 'availability: no step by the harness beyond the documented ones',
    valid: false,
    findings: interventions.map((i) => ({ id: i.id, message: i.message, evidence: i.evidence })),
    evidence: {},
  };
  return { ...verdict, valid: false, findings: [...verdict.findings, ...part.findings], results: [...(verdict.results ?? []), part] };
}

/**
 * A wait for what the cluster should do by itself: when it does not happen in time, that is an
 * outcome for the checkers to judge (service ends elsewhere, DRBD not in sync, service lost),
 * written into the history; it does not stop the scenario.
 */
async function outcome<T>(history: History, scenario: string, wait: Promise<T>): Promise<T | undefined> {
  try {
    return await wait;
  } catch (error) {
    const text = `did not happen: ${(error as Error).message.split('\n')[0]}`;
    history.append({ kind: 'note', text });
    log(scenario, text);
    return undefined;
  }
}

async function startWitness(history: History, cluster: StartedCluster, credentials: { user: string; password: string }): Promise<VipWitness | undefined> {
  const t = cluster.topology;
  try {
    const nodes = await Promise.all([...cluster.nodes.values()].map(async (node) => ({
      name: node.name, address: node.address, mac: await node.labMac(),
    })));
    const witness = await VipWitness.forLab(history, t, nodes, credentials);
    witness.start();
    return witness;
  } catch (error) {
    history.append({ kind: 'note', text: `host witness could not start: ${(error as Error).message.split('\n')[0]}` });
    return undefined;
  }
}

const slug = (name: string) => name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

/**
 * Establish the state → clients and observers on → fault → (failover) → heal → failback →
 * final read → check. Whatever happens, the history, the timeline and the verdict are written
 * and attached; an error mid-way is returned with them, for the spec to fail on.
 */
export async function runScenario(env: ScenarioEnv, scenario: Scenario): Promise<ScenarioRun> {
  const { cluster, report } = env;
  const t = cluster.topology;
  const history = new History();
  log(scenario.name, `path: ${describePath(scenario.path)}`);
  const start = await report.step('start state: revert to the steady-state snapshot, or establish it', () => cluster.reset());
  log(scenario.name, `start state from ${start.from} in ${start.seconds.toFixed(1)} s: ${start.note}`);
  recordMetric(env.cluster.reports.metrics, scenario.name, 'reset', { seconds: start.seconds, fromSnapshot: start.from === 'snapshot' ? 1 : 0 });
  const interventions = [...start.interventions];
  const observers = new Map([...cluster.nodes.values()].map((node) => [node.name, new NodeObserver(history, node.access, t)]));
  const writers = new LedgerWriters(history, t, env.credentials, scenario.name, { ...writerOptions(), ...scenario.writers });
  const ctx: FaultContext = { cluster, history, observers, attach: (name, content) => report.attach(name, content, 'text/plain') };
  let failoverHost: string | undefined;
  let error: Error | undefined;
  const started = Date.now();
  const nodes = [...cluster.nodes.values()];
  const kernelBefore = new Map(await Promise.all(nodes.map(async (node) => [node.name, (await splitBrainLines(node)).length] as const)));
  const haLogBefore = await haLogMarks(nodes);
  // Which phase an error stopped: the report says where, not only what (an SSH refusal tells nothing by itself).
  let phase = 'starting the observers and the clients';
  let faultStarted = false;
  let healed = false;
  let witness: VipWitness | undefined;
  try {
    await Promise.all([...observers.values()].map((o) => o.start()));
    // The observer outside the guests: a witness that cannot start is said in the history, and the witness checker is UNKNOWN.
    witness = await startWitness(history, cluster, env.credentials);
    // Right after a revert the host may still hold a stale neighbour entry for the VIP (EHOSTUNREACH for a few seconds).
    await waitFor('the VIP answers MySQL', () => LedgerWriters.prepare(env.pool), { timeoutSeconds: 60, intervalSeconds: 2 });
    writers.start();
    await waitFor('the ledger writes through the VIP', () => {
      if (writers.acknowledged() < 5) throw new Error(`${writers.acknowledged()} acknowledged writes`);
    }, { timeoutSeconds: 60 });

    if (scenario.leadSeconds) await sleep(scenario.leadSeconds * 1000);
    phase = `the fault ${scenario.fault.name}`;
    faultStarted = true;
    await report.step(`fault ${scenario.fault.name}: ${scenario.fault.description.split(';')[0]}`, () => nemesis(scenario.fault, 'start', ctx));
    if (scenario.holdSeconds) {
      phase = `the hold of ${scenario.fault.name}`;
      await report.step(`the fault holds ${scenario.holdSeconds} s`, () => sleep(scenario.holdSeconds! * 1000));
    }
    if (scenario.awaitFailover) {
      failoverHost = await report.step('the service answers on the VIP again', () => outcome(history, scenario.name,
        waitFor('a server answers on the VIP after the fault', async () => {
          const host = await servedBy(env.pool);
          if (writers.lastOutcome() !== 'ok') throw new Error(`VIP answered by ${host} but the last write was not acknowledged`);
          return host;
        }, { timeoutSeconds: LIVENESS_SECONDS })));
      log(scenario.name, `after the fault the VIP is served by ${failoverHost ?? 'nobody'}`);
    }
    phase = 'the checks while the fault holds';
    await scenario.whileFaulted?.(failoverHost);

    phase = `the heal of ${scenario.fault.name}`;
    healed = true;
    await report.step(`heal ${scenario.fault.name}`, () => nemesis(scenario.fault, 'stop', ctx));
    phase = 'the recovery after the heal';
    if (scenario.recover) interventions.push(...await report.step('recovery after the heal (documented operator steps)', () => scenario.recover!(cluster, history, haLogBefore)));
    phase = 'the wait for the service to settle';
    // Settled means settled for a while: heartbeat reacts to a healed partition seconds later (it
    // restarts itself and gives the group up), and a scenario that ended at the first good sample
    // would miss that outage and read the ledger in the middle of it.
    const quietSeconds = scenario.quietSeconds ?? quietSecondsFor(t.heartbeat.deadtime);
    const settled = sustained(quietSeconds);
    await report.step(`the service settles on ${scenario.endsOn}, DRBD UpToDate/UpToDate, and stays so ${quietSeconds} s`, () => outcome(history, scenario.name,
      waitFor(`${scenario.endsOn} holds everything, the others nothing, DRBD in sync (as the observers see it), for ${quietSeconds} s`, () => {
        const finals = finalStates(history);
        const problems = [...finals].filter(([node, state]) => state === 'unknown'
          || !(node === scenario.endsOn ? holdsAll(state, t.mysql.datadir) : holdsNone(state))
          || parseDrbdWords(state.drbd ?? '').ds !== 'UpToDate/UpToDate');
        settled(problems.length ? problems.map(([n, s]) => `${n}: ${describeHoldings(s)}${s === 'unknown' ? '' : ` ${s.drbd}`}`).join('; ') : undefined);
      }, { timeoutSeconds: (scenario.settleSeconds ?? LIVENESS_SECONDS) + quietSeconds })));
    await outcome(history, scenario.name, waitFor('writes acknowledged after the failback', () => {
      if (writers.lastOutcome() !== 'ok') throw new Error(`last write: ${writers.lastOutcome()}`);
    }, { timeoutSeconds: 60 }));
  } catch (caught) {
    error = new Error(`during ${phase}: ${(caught as Error).message}`, { cause: caught });
    log(scenario.name, `stopped early: ${error.message.split('\n')[0]}`);
  } finally {
    // A fault that started is healed whatever stopped the scenario: the next one starts from a cluster, not a wreck.
    if (faultStarted && !healed) {
      await report.step(`heal ${scenario.fault.name} (after: ${phase})`, () => nemesis(scenario.fault, 'stop', ctx))
        .catch((e: Error) => log(scenario.name, `the heal after the error failed too: ${e.message.split('\n')[0]}`));
    }
  }
  await writers.stop();
  await recordSplitBrainLines(history, nodes, kernelBefore);
  await recordHaLogMilestones(history, nodes, haLogBefore);
  // The service may still be on its way back: the final read waits for the VIP a minute before giving up (then the ledger is UNKNOWN).
  await waitFor('the final read of the ledger through the VIP', () => writers.finalRead(env.pool), { timeoutSeconds: 60, intervalSeconds: 3 })
    .catch((e: Error) => log(scenario.name, `final read failed: ${e.message.split('\n')[0]}`));
  await Promise.all([...observers.values()].map((o) => o.stop()));
  await witness?.stop();
  // A fence by the lab's power switch (a profile with STONITH) is a power cut the observers did not make.
  const fences = recordPowerOperations(history, started, readPowerOperations(env.cluster.reports.powerSwitchLog));
  if (fences.length) await report.attach(`${scenario.name}: the power switch's operations (STONITH)`, fences.map(describeOperation).join('\n'), 'text/plain');

  const verdict = withInterventions(scenarioChecker({ endsOn: scenario.endsOn, datadir: t.mysql.datadir, deadtimeSeconds: t.heartbeat.deadtime, failbackWaitsForUpToDate: t.profile.hardening !== undefined, path: scenario.path }).check(history), interventions);
  const events = history.events();
  const span = { from: events[0]?.at ?? started, until: events.at(-1)?.at ?? started };
  const moves = RESOURCES.flatMap((r) => handovers(history, r, span.from, span.until));
  const directory = join(env.cluster.reports.scenarios, slug(`${scenario.id} ${scenario.name}`));
  const run: ScenarioRun = { id: scenario.id, name: scenario.name, history, verdict, interventions, start, failoverHost, error, handovers: moves, directory, path: scenario.path };
  await publish(run, env.report, [...observers.values()], t.heartbeat.deadtime, env.cluster.reports.metrics);
  return run;
}

/** Files under the run's scenarios/<name>/, the same as attachments, and the scenario's metrics. */
async function publish(run: ScenarioRun, report: Reporter, observers: NodeObserver[], deadtimeSeconds: number, metricsFile: string): Promise<void> {
  const svg = renderTimelineSvg(run.history, { title: `${run.name}: ${summarizeVerdict(run.verdict)}` });
  const verdictJson = JSON.stringify({ start: run.start, verdict: run.verdict, interventions: run.interventions, handovers: run.handovers, error: run.error?.message }, null, 2);
  mkdirSync(run.directory, { recursive: true });
  writeFileSync(join(run.directory, 'history.jsonl'), run.history.toJsonLines());
  writeFileSync(join(run.directory, 'timeline.svg'), svg);
  writeFileSync(join(run.directory, 'verdict.json'), verdictJson);
  await report.attach(`${run.name}: timeline`, svg, 'image/svg+xml');
  await report.attach(`${run.name}: verdict`, `${summarize(run.verdict)}\n`, 'text/plain');
  await report.attach(`${run.name}: verdict.json`, verdictJson, 'application/json');
  await report.attach(`${run.name}: history.jsonl`, run.history.toJsonLines(), 'application/x-ndjson');
  log(run.name, `verdict:\n${summarize(run.verdict)}`);

  const figures = availability(run.history);
  const { counts, finalRead } = countLedger(run.history);
  const vipGaps = run.handovers.filter((h) => h.resource === 'vip').map((h) => h.gapMs / 1000);
  recordMetric(metricsFile, run.name, 'verdict', {
    rtoSeconds: figures.rtoSeconds ?? -1,
    longestOutageSeconds: figures.longestOutageSeconds,
    outageAfterHealSeconds: figures.outageAfterHealSeconds,
    writes: counts.attempted, acknowledged: counts.acknowledged, lost: finalRead ? counts.lost.length : -1, unknown: counts.unknown, recovered: counts.recovered.length,
  });
  const breakdown = rtoBreakdown(run.history, figures.rtoSeconds, deadtimeSeconds);
  if (breakdown) {
    recordMetric(metricsFile, run.name, 'RTO breakdown (s)', {
      ...Object.fromEntries(breakdown.segments.map((s) => [s.name.replace(/ (\w)/g, (_, c: string) => c.toUpperCase()), s.seconds ?? -1])),
      floor: breakdown.floorSeconds ?? -1,
    });
    log(run.name, `RTO breakdown: ${describeBreakdown(breakdown)}`);
  }
  const rate = throughput(run.history);
  recordMetric(metricsFile, run.name, 'writes per second through the VIP', { steady: rate.steady ?? -1, faulted: rate.faulted ?? -1 });
  recordMetric(metricsFile, run.name, 'observation', {
    vipHandovers: vipGaps.length,
    ...(vipGaps.length && { vipHandoverGapMaxSeconds: Math.max(...vipGaps) }),
    samplerMedianMs: Math.max(...observers.map((o) => o.resolution().medianMs)),
    samplerMaxMs: Math.max(...observers.map((o) => o.resolution().maxMs)),
  });
}

function summarizeVerdict(verdict: CheckResult): string {
  const bad = (verdict.results ?? [verdict]).filter((p) => p.valid !== true);
  return bad.length ? bad.map((p) => `${describeValidity(p.valid)} ${p.checker}`).join(', ') : 'SAFE';
}
