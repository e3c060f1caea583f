import type { BootFacts } from '../faults/node-return.js';
import { checker, type Checker } from './checker.js';

/**
 * A node that comes back from a power cut should rejoin by itself: DRBD configured and heartbeat
 * running without an operator. Reads the `boot untouched` notes; no node returned: nothing to judge.
 */
export function rejoinChecker(): Checker {
  return checker('availability: a returning node rejoins by itself', (history) => {
    const boots = history.events().flatMap((e) => (e.kind === 'note' && e.data?.boot ? [{ at: e.at, text: e.text, facts: e.data.boot as BootFacts }] : []));
    const stayedOut = boots.filter((b) => !b.facts.rejoined);
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
