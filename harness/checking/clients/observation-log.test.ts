import { describe, expect, it } from 'vitest';
import type { Holdings } from '../../cluster/heartbeat/holdings.js';
import { History } from '../history/history.js';
import { ObservationLog } from './observation-log.js';

const held: Holdings = { vip: true, drbdPrimary: true, mounted: true, mysqld: true, datadir: '/data/mysql', drbd: 'cs:Connected' };
const free: Holdings = { vip: false, drbdPrimary: false, mounted: false, mysqld: false, drbd: 'cs:Connected' };
const state = (nodeMs: number, s: Holdings, samples = 1) => ({ kind: 'state' as const, nodeMs, samples, state: s });
const tick = (nodeMs: number, samples = 5) => ({ kind: 'tick' as const, nodeMs, samples });
const seen = (h: History) => h.observations().map((o) => [o.at, o.state === 'unknown' ? 'unknown' : o.state.vip]);

describe('ObservationLog', () => {
  it('writes state lines on the harness clock (node time − offset), ticks only confirm', () => {
    const history = new History();
    const log = new ObservationLog(history, 'linux01', 2000);
    log.ingest(state(10_000, held), 500);
    log.ingest(tick(10_500), 500);
    log.ingest(state(10_800, free), 500);
    expect(seen(history)).toEqual([[9500, true], [10_300, false]]);
    expect(history.observations()[0]).toMatchObject({ node: 'linux01', source: 'node sampler' });
  });

  it('marks a silence longer than staleMs unknown from the last line, then the state again', () => {
    const history = new History();
    const log = new ObservationLog(history, 'linux01', 2000);
    log.ingest(state(0, held), 0);
    log.ingest(tick(500), 0);
    log.ingest(tick(2500), 0);
    log.ingest(tick(5000), 0);
    expect(seen(history)).toEqual([[0, true], [2500, 'unknown'], [5000, true]]);
    expect(history.observations()[1].source).toBe('node sampler silent for 2500 ms');
  });

  it('marks a lost connection unknown from the last line, once; the next state line ends it', () => {
    const history = new History();
    const log = new ObservationLog(history, 'linux02', 2000);
    log.lostContact();
    expect(seen(history)).toEqual([]);
    log.ingest(state(100, free), 0);
    log.lostContact();
    log.lostContact();
    log.ingest(state(9000, held), 0);
    expect(seen(history)).toEqual([[100, false], [100, 'unknown'], [9000, true]]);
  });

  it('knows a powered-off node holds nothing: no unknown for its silence or its lost connection', () => {
    const history = new History();
    const log = new ObservationLog(history, 'linux01', 2000);
    log.ingest(state(0, held), 0);
    log.poweredOffAt(300);
    log.lostContact();
    log.ingest(state(60_000, free), 0);
    log.lostContact();
    expect(seen(history)).toEqual([[0, true], [300, false], [60_000, false], [60_000, 'unknown']]);
    expect(history.observations()[1].state).toMatchObject({ drbd: 'powered off' });
  });

  it('knows nothing of a node from the moment it is powered on until its sampler answers: it boots unseen', () => {
    const history = new History();
    const log = new ObservationLog(history, 'linux01', 2000);
    log.ingest(state(0, held), 0);
    log.poweredOffAt(300);
    log.poweredOnAt(30_000);
    log.lostContact();
    log.ingest(state(60_000, free), 0);
    expect(seen(history)).toEqual([[0, true], [300, false], [30_000, 'unknown'], [60_000, false]]);
    expect(history.observations()[2].source).toContain('booting');
  });

  it('reports the sampling resolution from lines and their sample counts', () => {
    const log = new ObservationLog(new History(), 'linux01', 2000);
    expect(log.resolution()).toEqual({ medianMs: 0, maxMs: 0 });
    log.ingest(state(0, held), 0);
    log.ingest(tick(500, 5), 0);
    log.ingest(tick(1100, 5), 0);
    log.ingest(tick(1500, 1), 0);
    log.ingest(tick(1600, 0), 0);
    expect(log.resolution()).toEqual({ medianMs: 120, maxMs: 400 });
  });
});

describe('ObservationLog, exactly', () => {
  it('starts unknown: the first tick writes nothing until a state is known, the first state is written', () => {
    const history = new History();
    const log = new ObservationLog(history, 'linux01', 2000);
    log.ingest(tick(100), 0);
    expect(history.events()).toEqual([]);
    log.ingest(state(200, held), 0);
    expect(history.observations()).toEqual([{ kind: 'observe', at: 200, node: 'linux01', state: held, source: 'node sampler' }]);
  });

  it('writes the powered-off state with nothing held and says why', () => {
    const history = new History();
    const log = new ObservationLog(history, 'linux01', 2000);
    log.poweredOffAt(50);
    expect(history.observations()).toEqual([{ kind: 'observe', at: 50, node: 'linux01', state: { vip: false, drbdPrimary: false, mounted: false, mysqld: false, drbd: 'powered off' }, source: 'powered off by the harness' }]);
  });

  it('says a lost connection in its source, and a silence of exactly staleMs is not one', () => {
    const history = new History();
    const log = new ObservationLog(history, 'linux01', 2000);
    log.ingest(state(0, held), 0);
    log.ingest(tick(2000), 0);
    expect(history.observations()).toHaveLength(1);
    log.lostContact();
    expect(history.observations()[1]).toEqual({ kind: 'observe', at: 2000, node: 'linux01', state: 'unknown', source: 'connection to the node lost' });
  });

  it('ignores zero-length intervals in the resolution and sorts them numerically', () => {
    const log = new ObservationLog(new History(), 'linux01', 2000);
    log.ingest(state(0, held), 0);
    log.ingest(tick(1000, 1), 0);
    log.ingest(tick(1000, 1), 0);
    log.ingest(tick(1090, 1), 0);
    log.ingest(tick(1180, 1), 0);
    expect(log.resolution()).toEqual({ medianMs: 90, maxMs: 1000 });
  });
});
