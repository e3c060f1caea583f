import { describeHoldings as describeHeld, holdsAll, holdsNone, RESOURCES } from '../../cluster/heartbeat/holdings.js';
import type { History, NodeState } from '../history/history.js';
import { checker, type Checker } from './checker.js';

/** Each node's last observed state (or unknown, when the last word about it was that it could not be seen). */
export function finalStates(history: History): Map<string, NodeState | 'unknown'> {
  return new Map(history.nodes().map((node) => [node, history.observations(node).at(-1)!.state]));
}

/**
 * Where the service ended: `node` holds every resource with MySQL on `datadir`, every other
 * node holds nothing. The guide's auto_failback expects linux01.
 */
export function serviceEndsOnChecker(node: string, datadir: string): Checker {
  return checker(`service ends on ${node}`, (history) => {
    const finals = finalStates(history);
    const evidence = Object.fromEntries([...finals].map(([name, state]) => [name, describeHeld(state)]));
    if (!finals.has(node)) return { valid: 'unknown', findings: [{ id: 'SERVICE-END-UNSEEN', message: `${node} was never observed` }], evidence };
    const unseen = [...finals].filter(([, state]) => state === 'unknown').map(([name]) => name);
    if (unseen.length) return { valid: 'unknown', findings: [{ id: 'SERVICE-END-UNSEEN', message: `last state unknown for ${unseen.join(', ')}` }], evidence };
    const owner = finals.get(node) as NodeState;
    const others = [...finals].filter(([name]) => name !== node);
    const ok = holdsAll(owner, datadir) && others.every(([, state]) => holdsNone(state as NodeState));
    return {
      valid: ok,
      findings: ok ? [] : [{ id: 'SERVICE-END', message: `expected ${node} to hold everything (datadir ${datadir}) and the others nothing; ended with ${[...finals].map(([n, s]) => `${n}: ${describeHeld(s)}`).join(', ')}`, evidence }],
      evidence,
    };
  });
}

/** `cs:Connected ro:Primary/Secondary ds:UpToDate/UpToDate` → its parts. */
export function parseDrbdWords(words: string): { cs?: string; ro?: string; ds?: string } {
  return Object.fromEntries(words.split(/\s+/).map((w) => w.split(':', 2)).filter(([k, v]) => v !== undefined && ['cs', 'ro', 'ds'].includes(k)));
}

/** DRBD's last word on every node: connected, both disks UpToDate (the guide's V4). */
export function drbdInSyncChecker(): Checker {
  return checker('DRBD ends UpToDate/UpToDate', (history) => {
    const finals = finalStates(history);
    const evidence = Object.fromEntries([...finals].map(([name, state]) => [name, state === 'unknown' ? 'unknown' : state.drbd ?? 'not reported']));
    const unseen = [...finals].filter(([, state]) => state === 'unknown' || state.drbd === undefined).map(([name]) => name);
    if (unseen.length || !finals.size) return { valid: 'unknown', findings: [{ id: 'DRBD-END-UNSEEN', message: `DRBD's final state not seen on ${unseen.join(', ') || 'any node'}` }], evidence };
    const bad = [...finals].filter(([, state]) => {
      const { cs, ds } = parseDrbdWords((state as NodeState).drbd!);
      return cs !== 'Connected' || ds !== 'UpToDate/UpToDate';
    });
    return {
      valid: bad.length === 0,
      findings: bad.length ? [{ id: 'DRBD-END', message: `not connected and UpToDate/UpToDate at the end: ${bad.map(([n, s]) => `${n} ${(s as NodeState).drbd}`).join('; ')}`, evidence }] : [],
      evidence,
    };
  });
}

/**
 * heartbeat starts the group left to right and stops it right to left, so on any node a resource
 * is only held while every resource before it is: mysqld ⇒ VIP ⇒ mount ⇒ DRBD Primary. A resource
 * held out of order was started by something else (a socket activation, a boot-time unit) or
 * left behind by a failed stop.
 */
export function groupOrderChecker(): Checker {
  return checker('group order (DRBD ⊇ mount ⊇ VIP ⊇ mysqld)', (history) => {
    const breaches: { node: string; at: number; held: string }[] = [];
    for (const event of history.observations()) {
      if (event.state === 'unknown') continue;
      const state = event.state;
      const outOfOrder = RESOURCES.some((resource, i) => state[resource] && RESOURCES.slice(0, i).some((before) => !state[before]));
      if (outOfOrder) breaches.push({ node: event.node, at: event.at, held: describeHeld(state) });
    }
    const first = breaches[0];
    return {
      valid: breaches.length === 0,
      findings: first ? [{
        id: 'GROUP-ORDER',
        message: `${breaches.length} observation(s) with a resource held without the ones before it; first on ${first.node} at ${new Date(first.at).toISOString()}: ${first.held}`,
        evidence: breaches.slice(0, 20),
      }] : [],
      evidence: { breaches: breaches.length },
    };
  });
}

/** A StandAlone that lasts this long is not `drbdadm up`'s moment between attach and connect. */
export const STANDALONE_SECONDS = 10;

/**
 * DRBD's own word on divergence: the kernel's "Split-Brain detected" lines the scenario
 * recorded as notes, or a node that stayed StandAlone for STANDALONE_SECONDS or more (it holds
 * data the other does not, and nothing reconnects it).
 */
export function splitBrainChecker(): Checker {
  return checker('split brain (DRBD)', (history) => {
    const { kernel, standalone, unreadKernels } = divergence(history);
    if (!kernel.length && !standalone.length) {
      // Silence is only evidence from a kernel log that was read.
      return unreadKernels.length
        ? { valid: 'unknown', findings: [{ id: 'KERNEL-LOG-UNREAD', message: `the kernel log of ${unreadKernels.join(', ')} was not read: a split brain there would not have been seen` }], evidence: { kernel } }
        : { valid: true, findings: [], evidence: { kernel } };
    }
    const nodes = [...new Set(standalone.map((e) => e.node))];
    const where = standalone.length ? `DRBD stayed StandAlone on ${nodes.join(' and ')} (${standalone.map((s) => `${s.node} ${s.seconds.toFixed(0)} s from ${new Date(s.from).toISOString()}`).join(', ')})` : 'DRBD reported split brain';
    return {
      valid: false,
      findings: [{ id: 'SPLIT-BRAIN', message: `${where}: the disks diverged${kernel.length ? ` (kernel: ${kernel[0]})` : ''}`, evidence: { standalone, kernel } }],
      evidence: { kernel },
    };
  });
}

/** The note that says a node's kernel log was read after the scenario: its silence on split brain then means something. */
export const kernelReadNote = (node: string, lines: number) => ({ text: `kernel ${node} read: ${lines} split-brain line(s) in all`, data: { kernelRead: node } });

/**
 * DRBD's word on divergence in a history: the kernel's split-brain lines, the StandAlone stretches
 * of STANDALONE_SECONDS or more, and the observed nodes whose kernel log was not read (histories
 * that carry no read notes at all predate them and are taken as read).
 */
export function divergence(history: History): { kernel: string[]; standalone: { node: string; from: number; seconds: number }[]; unreadKernels: string[] } {
  const notes = history.events().filter((e) => e.kind === 'note');
  const kernel = notes.filter((e) => /Split-Brain detected/i.test(e.text)).map((e) => e.text);
  const events = history.events();
  const end = events.at(-1)?.at ?? 0;
  const standalone: { node: string; from: number; seconds: number }[] = [];
  for (const node of history.nodes()) {
    let since: number | undefined;
    const close = (at: number) => {
      if (since !== undefined && at - since >= STANDALONE_SECONDS * 1000) standalone.push({ node, from: since, seconds: (at - since) / 1000 });
      since = undefined;
    };
    for (const e of history.observations(node)) {
      const alone = e.state !== 'unknown' && /cs:StandAlone/.test(e.state.drbd ?? '');
      if (alone && since === undefined) since = e.at;
      else if (!alone && e.state !== 'unknown') close(e.at);
    }
    close(end);
  }
  const read = new Set(notes.flatMap((e) => (typeof e.data?.kernelRead === 'string' ? [e.data.kernelRead] : [])));
  const unreadKernels = notes.some((e) => e.text === RECORDED_KERNELS) ? history.nodes().filter((node) => !read.has(node)) : [];
  return { kernel, standalone, unreadKernels };
}

/** The note a scenario writes before it reads the kernels' logs: from then on a node without a read note was not read. */
export const RECORDED_KERNELS = 'kernel logs: reading each node\'s split-brain lines';

/**
 * The service on a disk without a full copy: a node held DRBD Primary while its own disk was
 * not UpToDate (a SyncTarget reads what it lacks from the peer; if the peer goes, so does the
 * data). auto_failback does this when it brings the service home before the resync ends (F8).
 */
export function primaryOnInconsistentChecker(): Checker {
  return checker('data safety: DRBD Primary only on an UpToDate disk', (history) => {
    const seen: { node: string; at: number; drbd: string }[] = [];
    for (const node of history.nodes()) {
      for (const o of history.observations(node)) {
        if (o.state === 'unknown' || !o.state.drbdPrimary || !o.state.drbd) continue;
        const local = parseDrbdWords(o.state.drbd).ds?.split('/')[0];
        if (local && local !== 'UpToDate') seen.push({ node, at: o.at, drbd: o.state.drbd });
      }
    }
    const first = seen[0];
    return {
      valid: !seen.length,
      findings: first ? [{ id: 'PRIMARY-INCONSISTENT', message: `${first.node} held DRBD Primary on a disk that was not UpToDate from ${new Date(first.at).toISOString()} (${first.drbd}): its data depended on the peer`, evidence: seen }] : [],
      evidence: { observations: seen.length },
    };
  });
}

/**
 * A node made DRBD Primary (it was not, in its previous observation) only with an UpToDate disk
 * of its own: auto_failback moving the group onto a resync's target is a finding. A Primary that
 * loses its disk later (F6's detach) is not a promotion and is not judged here.
 */
export function promotedOnUpToDateChecker(): Checker {
  return checker('data safety: a node promoted only on an UpToDate disk', (history) => {
    const promotions: { node: string; at: number; drbd: string }[] = [];
    for (const node of history.nodes()) {
      let wasPrimary: boolean | undefined;
      for (const o of history.observations(node)) {
        if (o.state === 'unknown') continue;
        const local = o.state.drbd ? parseDrbdWords(o.state.drbd).ds?.split('/')[0] : undefined;
        if (o.state.drbdPrimary && wasPrimary === false && local && local !== 'UpToDate') promotions.push({ node, at: o.at, drbd: o.state.drbd! });
        wasPrimary = o.state.drbdPrimary;
      }
    }
    const first = promotions[0];
    return {
      valid: !promotions.length,
      findings: first ? [{ id: 'PROMOTED-NOT-UPTODATE', message: `${first.node} was made DRBD Primary on a disk that was not UpToDate at ${new Date(first.at).toISOString()} (${first.drbd}): the group moved before the resync ended`, evidence: promotions }] : [],
      evidence: { promotions: promotions.length },
    };
  });
}
