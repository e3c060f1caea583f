import { resourceStarts } from '../history/ha-log.js';
import { SAMPLER, stateIntervals, type History, type ObserveEvent, type Resource, type StateInterval } from '../history/history.js';
import { arpDoubles, foreignVipAnswers, witnessDecidesVip, witnessedVip, witnessEvents, witnessSawVip, type WitnessedDouble } from '../history/witness.js';
import { checker, type Checker, type Finding } from './checker.js';

/** A stretch of time, epoch ms. */
export interface Window {
  from: number;
  until: number;
}

/**
 * The span in which every node was being watched: from the last node's first observation to
 * the history's last event. Before that, some node was simply not looked at yet.
 */
export function observedSpan(history: History): Window | undefined {
  const nodes = history.nodes();
  const events = history.events();
  if (!nodes.length || !events.length) return undefined;
  const firsts = nodes.map((node) => history.observations(node)[0].at);
  const from = Math.max(...firsts);
  const until = events[events.length - 1].at;
  return until > from ? { from, until } : undefined;
}

const held = (interval: StateInterval, resource: Resource) => interval.state !== 'unknown' && interval.state[resource];

function intersect(a: Window, b: Window): Window | undefined {
  const from = Math.max(a.from, b.from);
  const until = Math.min(a.until, b.until);
  return until > from ? { from, until } : undefined;
}

/** What a node's own account is made of: what it was seen holding, and when heartbeat started a script on it. */
interface NodeAccount {
  observations: ObserveEvent[];
  /** undefined: its ha-log was not read. */
  starts?: number[];
  /**
   * How close to an unseen stretch a start may be stamped and still be in it: the stamps are whole
   * seconds (1 s) of the node's clock, off the harness's by up to the largest offset measured for
   * the node (plus half a second for the measurement's own error).
   */
  marginMs: number;
}

function nodeAccount(history: History, node: string): NodeAccount {
  const offsets = history.events().flatMap((e) => (e.kind === 'clock' && e.node === node ? [Math.abs(e.offsetMs)] : []));
  return { observations: history.observations(node), starts: resourceStarts(history, node), marginMs: 1500 + Math.max(1000, ...offsets) };
}

/**
 * Why an unseen stretch of a node is known not to hold `resource`, or undefined: the node was
 * seen without it right before (or powered off) and its own sampler saw it without it right
 * after, and its ha-log, read over the whole scenario, shows heartbeat starting none of the
 * group's scripts in the stretch. heartbeat is what acquires the group: anything it took and gave
 * back within the stretch would have begun with a start there. A sampler that stalled a moment, a
 * node booting before its sampler answers: decided by the node's own account, or not at all.
 */
export function decidedByHaLog(history: History, unseen: StateInterval, resource: Resource, account = nodeAccount(history, unseen.node)): string | undefined {
  const before = account.observations.findLast((o) => o.at < unseen.from && o.state !== 'unknown');
  const after = account.observations.find((o) => o.at >= unseen.until && o.state !== 'unknown');
  const without = (o: ObserveEvent | undefined) => o !== undefined && o.state !== 'unknown' && !o.state[resource];
  if (!without(before) || !without(after) || after!.source !== SAMPLER || account.starts === undefined) return undefined;
  const margin = account.marginMs;
  if (account.starts.some((at) => at >= unseen.from - margin && at <= unseen.until + margin)) return undefined;
  return `${unseen.node} unseen (${unseen.source}), without ${resource} before and after, and heartbeat started none of its scripts then (ha-log)`;
}

/** An unseen stretch of a node that its own account decided, and how. */
export interface DecidedStretch extends Window {
  node: string;
  why: string;
}

const key = (x: { node: string; from: number }) => `${x.node}@${x.from}`;

/** The unseen stretches within `span` in which the node's own account shows it without `resource`. */
export function decidedStretches(history: History, resource: Resource, span: Window): DecidedStretch[] {
  const accounts = new Map<string, NodeAccount>();
  const accountOf = (node: string) => accounts.get(node) ?? accounts.set(node, nodeAccount(history, node)).get(node)!;
  return stateIntervals(history, span.from, span.until).filter((x) => x.state === 'unknown').flatMap((x) => {
    const account = accountOf(x.node);
    // The VIP can be taken outside heartbeat (by hand, a boot script): its log's silence decides only where the host's witness did not see the node answer for it.
    const contradicted = resource === 'vip' && witnessSawVip(history, x.node, x.from - account.marginMs, x.until + account.marginMs);
    const why = (contradicted ? undefined : decidedByHaLog(history, x, resource, account))
      ?? (resource === 'vip' ? witnessDecidesVip(history, x.node, x.from, x.until) : undefined);
    return why ? [{ node: x.node, from: x.from, until: x.until, why }] : [];
  });
}

export interface Overlap extends Window {
  nodes: [string, string];
  /** True: both seen holding it. False: at least one could not be seen while the other held it or was unseen too. */
  certain: boolean;
}

/**
 * Where two nodes held `resource` at once (certain), or where one node was unseen (and its own
 * account does not decide the stretch) while the other held it or was unseen too (possible).
 * Each node's state holds from one observation to the next, so the resolution is the node
 * sampler's interval.
 */
export function overlaps(history: History, resource: Resource, span: Window, decided = decidedStretches(history, resource, span)): Overlap[] {
  const intervals = stateIntervals(history, span.from, span.until);
  const decidedKeys = new Set(decided.map(key));
  const may = (x: StateInterval) => (x.state === 'unknown' && !decidedKeys.has(key(x))) || held(x, resource);
  const nodes = history.nodes();
  const found: Overlap[] = [];
  for (let i = 0; i < nodes.length; i++) {
    for (let j = i + 1; j < nodes.length; j++) {
      for (const a of intervals.filter((x) => x.node === nodes[i])) {
        for (const b of intervals.filter((x) => x.node === nodes[j])) {
          const both = intersect(a, b);
          if (!both) continue;
          const aMay = may(a);
          const bMay = may(b);
          if (!aMay || !bMay) continue;
          found.push({ ...both, nodes: [nodes[i], nodes[j]], certain: held(a, resource) && held(b, resource) });
        }
      }
    }
  }
  return found;
}

const seconds = (w: Window) => (w.until - w.from) / 1000;

/**
 * At most one node holds `resource` at any moment. A certain overlap of any length is invalid;
 * a moment where it could not be seen is unknown, not valid.
 */
export function exclusiveChecker(resource: Resource): Checker {
  return checker(`exclusive ${resource}`, (history) => {
    const span = observedSpan(history);
    if (!span) return { valid: 'unknown', findings: [{ id: `UNSEEN-${resource}`, message: 'no node was observed' }], evidence: {} };
    const decided = decidedStretches(history, resource, span);
    const found = overlaps(history, resource, span, decided);
    const certain = found.filter((o) => o.certain);
    const possible = found.filter((o) => !o.certain);
    const findings: Finding[] = [];
    const describe = (o: Overlap) => `${o.nodes.join(' and ')} for ${seconds(o).toFixed(3)} s from ${new Date(o.from).toISOString()}`;
    // From outside the guests: two MACs answering one ARP request for the VIP are two holders, whatever the guests' samplers say.
    const vip = resource === 'vip' ? witnessedVip(history) : undefined;
    const witnessed = vip ? arpDoubles(history, vip) : [];
    const describeWitnessed = (d: WitnessedDouble) => `${d.answers.map((a) => a.node ?? a.mac).join(' and ')} answered ARP for ${vip} at ${new Date(d.at).toISOString()}`;
    if (certain.length || witnessed.length) {
      findings.push({
        id: `DOUBLE-${resource}`,
        message: `two nodes held ${resource} at once: ${[...certain.map(describe), ...(witnessed.length ? [`${witnessed.length} ARP round(s) of the host witness with two answers, the first: ${describeWitnessed(witnessed[0])}`] : [])].join('; ')}`,
        evidence: { observed: certain, witnessed: witnessed.slice(0, 20) },
      });
    }
    const foreign = vip ? foreignVipAnswers(history, vip) : [];
    if (foreign.length) {
      findings.push({
        id: 'VIP-FOREIGN',
        message: `${[...new Set(foreign.map((e) => e.mac))].join(', ')}, not a lab node's MAC, answered ARP for ${vip} (host witness), first at ${new Date(foreign[0].at).toISOString()}`,
        evidence: foreign.slice(0, 20),
      });
    }
    if (possible.length) {
      findings.push({
        id: `UNSEEN-${resource}`,
        message: `could not see both nodes while one may have held ${resource}: ${possible.map(describe).join('; ')}`,
        evidence: possible,
      });
    }
    return {
      valid: certain.length || witnessed.length || foreign.length ? false : possible.length ? 'unknown' : true,
      findings,
      evidence: {
        observedSeconds: seconds(span),
        ...(vip && { witnessedDoubles: witnessed.length }),
        overlapSeconds: certain.reduce((sum, o) => sum + seconds(o), 0),
        unseenSeconds: possible.reduce((sum, o) => sum + seconds(o), 0),
        ...(decided.length && {
          decidedByHaLog: decided.map((x) => ({ node: x.node, from: new Date(x.from).toISOString(), seconds: seconds(x), why: x.why })),
        }),
      },
    };
  });
}

/**
 * The host's witness itself: it must have run and heard the VIP answer, or the exclusive checker's
 * outside view is missing (WITNESS-UNSEEN, UNKNOWN): never a silent pass when it could not see.
 */
export function witnessChecker(): Checker {
  return checker('exclusive vip: the host witness saw the VIP', (history) => {
    const vip = witnessedVip(history);
    const answers = vip ? witnessEvents(history, 'arp').filter((e) => e.address === vip && e.mac).length : 0;
    const queries = witnessEvents(history, 'mysql');
    const evidence = { vip: vip ?? null, arpAnswersForTheVip: answers, mysqlQueries: queries.length, mysqlAnswered: queries.filter((q) => q.node).length };
    if (!vip || !answers) {
      return { valid: 'unknown', findings: [{ id: 'WITNESS-UNSEEN', message: vip ? `the host witness heard no ARP answer for ${vip} in the whole scenario` : "the host witness did not run: the VIP's holders were seen only from inside the guests" }], evidence };
    }
    return { valid: true, findings: [], evidence };
  });
}
