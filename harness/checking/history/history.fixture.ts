/** Test-only: histories written the way the runner writes them, in a few words each. */
import type { Holdings } from '../../cluster/heartbeat/holdings.js';
import { haLogNote, haLogReadNote, type Milestone } from './ha-log.js';
import { History, SAMPLER, type OpType } from './history.js';

export type Held = ('vip' | 'drbdPrimary' | 'mounted' | 'mysqld')[];
export const ALL: Held = ['drbdPrimary', 'mounted', 'vip', 'mysqld'];

export function holding(held: Held, extra: Partial<Holdings> = {}): Holdings {
  return {
    drbdPrimary: held.includes('drbdPrimary'), mounted: held.includes('mounted'), vip: held.includes('vip'), mysqld: held.includes('mysqld'),
    ...(held.includes('mysqld') && { datadir: '/data/mysql' }),
    drbd: 'cs:Connected ro:Secondary/Primary ds:UpToDate/UpToDate',
    ...extra,
  };
}

export class HistoryBuilder {
  readonly history = new History(() => 0);

  /** A write by `process` invoked at `at` that completed `latency` ms later as `outcome` (or never). */
  write(id: number, at: number, outcome: Exclude<OpType, 'invoke'> | 'pending', latency = 10, process = 'writer-1', node?: string): this {
    this.history.append({ kind: 'op', process, type: 'invoke', f: 'write', value: id, at });
    if (outcome !== 'pending') this.history.append({ kind: 'op', process, type: outcome, f: 'write', value: id, at: at + latency, ...(node && { node }) });
    return this;
  }

  /** A writer reading back the row it just committed (read-your-writes). */
  readOwn(id: number, at: number, present: boolean, process = 'writer-1', node?: string): this {
    this.history.append({ kind: 'op', process, type: 'invoke', f: 'read-own', value: id, at });
    this.history.append({ kind: 'op', process, type: 'ok', f: 'read-own', value: { id, present }, at: at + 2, ...(node && { node }) });
    return this;
  }

  read(ids: number[], at: number): this {
    this.history.append({ kind: 'op', process: 'final-read', type: 'invoke', f: 'read', at });
    this.history.append({ kind: 'op', process: 'final-read', type: 'ok', f: 'read', value: ids, at: at + 5 });
    return this;
  }

  observe(node: string, at: number, state: Held | 'unknown', extra: Partial<Holdings> = {}, source = SAMPLER): this {
    this.history.append({ kind: 'observe', node, at, state: state === 'unknown' ? 'unknown' : holding(state, extra), source });
    return this;
  }

  /** A line of `node`'s ha-log, as the runner records it (with `read`: the log was read at all). */
  haLog(node: string, milestone: Milestone, at: number): this {
    this.history.append({ kind: 'note', text: haLogNote(node, { at, milestone, line: `(${milestone})` }), at });
    return this;
  }

  haLogRead(node: string, at: number): this {
    this.history.append({ kind: 'note', ...haLogReadNote(node, 1), at });
    return this;
  }

  fault(name: string, from: number, until?: number, healed = true): this {
    this.history.append({ kind: 'op', process: 'nemesis', type: 'invoke', f: name, phase: 'start', value: ['linux01'], at: from });
    this.history.append({ kind: 'op', process: 'nemesis', type: 'ok', f: name, phase: 'start', value: ['linux01'], at: from + 1 });
    if (until !== undefined) {
      this.history.append({ kind: 'op', process: 'nemesis', type: 'invoke', f: name, phase: 'stop', value: ['linux01'], at: until - 1 });
      this.history.append({ kind: 'op', process: 'nemesis', type: healed ? 'ok' : 'fail', f: name, phase: 'stop', value: ['linux01'], at: until });
    }
    return this;
  }

  /** The host witness started for `vip` (its note), as the runner writes it. */
  witnessFor(vip: string, at = 0): this {
    this.history.append({ kind: 'note', text: `host witness: ARP for ${vip}`, data: { witnessVip: vip }, at });
    return this;
  }

  /** An ARP answer the host witness heard for `address` from `node`'s MAC (`mac:…` for a MAC of no lab node). */
  arp(at: number, address: string, node: string): this {
    const foreign = node.startsWith('mac:');
    this.history.append({ kind: 'witness', at, probe: 'arp', address, mac: foreign ? node.slice(4) : `52:54:00:00:00:0${node.at(-1)}`, ...(!foreign && { node }) });
    return this;
  }

  note(text: string, at: number): this {
    this.history.append({ kind: 'note', text, at });
    return this;
  }
}

export const build = () => new HistoryBuilder();
