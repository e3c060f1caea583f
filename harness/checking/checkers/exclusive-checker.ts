import { stateIntervals, type History, type Resource, type StateInterval } from '../history/history.js';
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

export interface Overlap extends Window {
  nodes: [string, string];
  /** True: both seen holding it. False: at least one could not be seen while the other held it or was unseen too. */
  certain: boolean;
}

/**
 * Where two nodes held `resource` at once (certain), or where one node was unseen while the
 * other held it or was unseen too (possible). Each node's state holds from one observation to
 * the next, so the resolution is the node sampler's interval.
 */
export function overlaps(history: History, resource: Resource, span: Window): Overlap[] {
  const intervals = stateIntervals(history, span.from, span.until);
  const nodes = history.nodes();
  const found: Overlap[] = [];
  for (let i = 0; i < nodes.length; i++) {
    for (let j = i + 1; j < nodes.length; j++) {
      for (const a of intervals.filter((x) => x.node === nodes[i])) {
        for (const b of intervals.filter((x) => x.node === nodes[j])) {
          const both = intersect(a, b);
          if (!both) continue;
          const aMay = a.state === 'unknown' || held(a, resource);
          const bMay = b.state === 'unknown' || held(b, resource);
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
    const found = overlaps(history, resource, span);
    const certain = found.filter((o) => o.certain);
    const possible = found.filter((o) => !o.certain);
    const findings: Finding[] = [];
    const describe = (o: Overlap) => `${o.nodes.join(' and ')} for ${seconds(o).toFixed(3)} s from ${new Date(o.from).toISOString()}`;
    if (certain.length) {
      findings.push({
        id: `DOUBLE-${resource}`,
        message: `two nodes held ${resource} at once: ${certain.map(describe).join('; ')}`,
        evidence: certain,
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
      valid: certain.length ? false : possible.length ? 'unknown' : true,
      findings,
      evidence: {
        observedSeconds: seconds(span),
        overlapSeconds: certain.reduce((sum, o) => sum + seconds(o), 0),
        unseenSeconds: possible.reduce((sum, o) => sum + seconds(o), 0),
      },
    };
  });
}
