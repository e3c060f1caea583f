/**
 * What the host's witness saw from outside the guests: who answered ARP for the VIP and for each
 * node's own lab address, and which node's MariaDB answered on the VIP. Its clock is the
 * harness's, and it does not stall with a guest: a node whose kernel answers ARP for its own
 * address is alive, and it answers for every address it holds, the VIP included.
 */
import type { History, WitnessEvent } from './history.js';

/** Replies to one ARP request come within milliseconds; rounds are 200 ms apart. */
export const ROUND_MS = 100;
/** A node answered ARP often enough to be called alive through a stretch: no silence longer than this. */
export const ALIVE_GAP_MS = 1000;

export const witnessEvents = (history: History, probe?: WitnessEvent['probe']): WitnessEvent[] =>
  history.events().filter((e): e is WitnessEvent => e.kind === 'witness' && (probe === undefined || e.probe === probe));

/** The VIP's address as the witness recorded it (its start note), or undefined when it did not run. */
export function witnessedVip(history: History): string | undefined {
  const note = history.events().find((e) => e.kind === 'note' && typeof e.data?.witnessVip === 'string');
  return note?.kind === 'note' ? (note.data!.witnessVip as string) : undefined;
}

export interface WitnessedDouble {
  at: number;
  /** The MACs that answered one request, with their nodes where known. */
  answers: { mac: string; node?: string }[];
}

/** ARP rounds for `address` in which more than one MAC answered: two holders, whatever the guests say. */
export function arpDoubles(history: History, address: string): WitnessedDouble[] {
  const replies = witnessEvents(history, 'arp').filter((e) => e.address === address && e.mac);
  const doubles: WitnessedDouble[] = [];
  let round: WitnessEvent[] = [];
  const close = () => {
    const macs = [...new Map(round.map((r) => [r.mac!, r.node])).entries()];
    if (macs.length > 1) doubles.push({ at: round[0].at, answers: macs.map(([mac, node]) => ({ mac, ...(node && { node }) })) });
    round = [];
  };
  for (const reply of replies) {
    if (round.length && reply.at - round[0].at > ROUND_MS) close();
    round.push(reply);
  }
  if (round.length) close();
  return doubles;
}

/** ARP replies for the VIP from a MAC that is not a lab node's: someone else holds it. */
export function foreignVipAnswers(history: History, vip: string): WitnessEvent[] {
  return witnessEvents(history, 'arp').filter((e) => e.address === vip && e.mac && !e.node);
}

/**
 * Why the witness knows `node` did not hold the VIP from `from` to `until`, or undefined: the
 * node's kernel answered ARP for its own lab address throughout (no silence over ALIVE_GAP_MS,
 * from before the stretch to after it), and never for the VIP. A frozen or booting node answers
 * nothing and is not decided here.
 */
export function witnessDecidesVip(history: History, node: string, from: number, until: number): string | undefined {
  const vip = witnessedVip(history);
  if (!vip) return undefined;
  const arp = witnessEvents(history, 'arp').filter((e) => e.node === node);
  if (arp.some((e) => e.address === vip && e.at >= from - ALIVE_GAP_MS && e.at <= until + ALIVE_GAP_MS)) return undefined;
  const alive = arp.filter((e) => e.address !== vip).map((e) => e.at);
  let last = alive.findLast((at) => at <= from);
  if (last === undefined || from - last > ALIVE_GAP_MS) return undefined;
  for (const at of alive) {
    if (at <= from) continue;
    if (at - last > ALIVE_GAP_MS) return undefined;
    last = at;
    if (at >= until) return `${node} answered ARP for its own address throughout, never for the VIP ${vip} (host witness)`;
  }
  return undefined;
}

/** Whether the witness saw `node` answer ARP for the VIP between `from` and `until` (a stretch its ha-log calls idle). */
export function witnessSawVip(history: History, node: string, from: number, until: number): boolean {
  const vip = witnessedVip(history);
  return vip !== undefined && witnessEvents(history, 'arp').some((e) => e.node === node && e.address === vip && e.at >= from && e.at <= until);
}
