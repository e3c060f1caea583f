import type { BootFacts } from '../faults/node-return.js';
import { checker, type Checker } from './checker.js';
import { bootingSource, BY_THE_HARNESS } from '../history/history.js';

/**
 * A node that comes back from a power cut should rejoin by itself: DRBD configured and heartbeat
 * running without an operator. Reads the `boot untouched` notes; no node returned: nothing to judge.
 * A node the harness powered on whose boot left no note was not watched: UNKNOWN (BOOT-UNSEEN).
 */
export function rejoinChecker(): Checker {
  return checker('availability: a returning node rejoins by itself', (history) => {
    const boots = history.events().flatMap((e) => (e.kind === 'note' && e.data?.boot ? [{ at: e.at, text: e.text, facts: e.data.boot as BootFacts }] : []));
    const stayedOut = boots.filter((b) => !b.facts.rejoined);
    const poweredOn = history.observations().filter((o) => o.source === bootingSource(BY_THE_HARNESS));
    // What accounts for a power-on: a watched boot, or the fault's word that this boot is not what it judges.
    const accounted = [
      ...boots.map((b) => ({ node: b.facts.node, at: b.at })),
      ...history.events().flatMap((e) => (e.kind === 'note' && typeof e.data?.bootNotJudged === 'string' ? [{ node: e.data.bootNotJudged, at: e.at }] : [])),
    ];
    const unwatched = poweredOn.filter((o) => !accounted.some((a) => a.node === o.node && a.at >= o.at));
    if (!stayedOut.length && unwatched.length) {
      return {
        valid: 'unknown',
        findings: [{ id: 'BOOT-UNSEEN', message: `the harness powered ${unwatched.map((o) => `${o.node} on at ${new Date(o.at).toISOString()}`).join(', ')} and nothing recorded what it started by itself: whether it rejoins is not known` }],
        evidence: { returns: boots.length, poweredOn: poweredOn.length },
      };
    }
    return {
      valid: stayedOut.length === 0,
      findings: stayedOut.map((b) => ({
        id: 'BOOT-NO-REJOIN',
        message: `${b.text.replace(/^boot untouched: /, '')}: an operator had to bring it back (drbdadm up, heartbeat start)`,
        evidence: b.facts,
      })),
      evidence: { returns: boots.length, rejoinedByThemselves: boots.length - stayedOut.length },
    };
  });
}
