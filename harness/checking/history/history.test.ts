import { describe, expect, it } from 'vitest';
import { completions, faultWindows, handovers, History, stateIntervals } from './history.js';
import { ALL, build, holding } from './history.fixture.js';

describe('History', () => {
  it('stamps events with its clock unless given a time, and orders them by time, ties in append order', () => {
    let now = 100;
    const history = new History(() => now);
    history.append({ kind: 'note', text: 'b' });
    now = 50;
    history.append({ kind: 'note', text: 'a' });
    history.append({ kind: 'note', text: 'c', at: 100 });
    expect(history.events().map((e) => [e.at, (e as { text: string }).text])).toEqual([[50, 'a'], [100, 'b'], [100, 'c']]);
    expect(history.now()).toBe(50);
  });

  it('filters ops by process, f and type, and lists observed nodes in first-seen order', () => {
    const h = build().write(1, 10, 'ok').write(2, 20, 'fail', 5, 'writer-2').read([1], 30)
      .observe('linux02', 1, []).observe('linux01', 2, ALL).observe('linux02', 3, ['vip']).history;
    expect(h.ops({ f: 'write', type: 'ok' }).map((o) => o.value)).toEqual([1]);
    expect(h.ops({ process: 'writer-2' }).map((o) => o.type)).toEqual(['invoke', 'fail']);
    expect(h.ops({ process: 'final-read', f: 'read' })).toHaveLength(2);
    expect(h.nodes()).toEqual(['linux02', 'linux01']);
    expect(h.observations('linux02').map((o) => o.at)).toEqual([1, 3]);
  });

  it('survives a round trip through JSON lines', () => {
    const h = build().write(1, 10, 'info').observe('linux01', 5, 'unknown').fault('crash', 7, 9).history;
    const text = h.toJsonLines();
    expect(text.trim().split('\n')).toHaveLength(h.events().length);
    expect(History.fromJsonLines(text).events()).toEqual(h.events());
  });
});

describe('completions', () => {
  it('pairs each invoke with the next completion of the same process, interleaved processes apart', () => {
    const h = build().history;
    h.append({ kind: 'op', process: 'a', type: 'invoke', f: 'write', value: 1, at: 0 });
    h.append({ kind: 'op', process: 'b', type: 'invoke', f: 'write', value: 2, at: 1 });
    h.append({ kind: 'op', process: 'b', type: 'fail', f: 'write', value: 2, at: 3, error: 'refused' });
    h.append({ kind: 'op', process: 'a', type: 'ok', f: 'write', value: 1, at: 4 });
    h.append({ kind: 'op', process: 'a', type: 'invoke', f: 'write', value: 3, at: 5 });
    expect(completions(h.ops())).toEqual([
      { process: 'a', f: 'write', value: 1, invokedAt: 0, completedAt: 4, type: 'ok', error: undefined },
      { process: 'b', f: 'write', value: 2, invokedAt: 1, completedAt: 3, type: 'fail', error: 'refused' },
      { process: 'a', f: 'write', value: 3, invokedAt: 5, type: 'pending' },
    ]);
  });

  it('keeps a completion value (a read\'s result) over the invoke\'s, and closes an unanswered invoke as pending', () => {
    const h = build().read([7, 8], 10).history;
    expect(completions(h.ops())[0]).toMatchObject({ value: [7, 8], type: 'ok', invokedAt: 10, completedAt: 15 });
    const twice = build().write(1, 0, 'pending').write(2, 10, 'ok').history;
    expect(completions(twice.ops()).map((c) => [c.value, c.type])).toEqual([[1, 'pending'], [2, 'ok']]);
  });

  it('refuses a completion without an invoke', () => {
    const h = build().history;
    h.append({ kind: 'op', process: 'a', type: 'ok', f: 'write', at: 1 });
    expect(() => completions(h.ops())).toThrow('a completed write at 1 without an invoke');
  });
});

describe('stateIntervals', () => {
  it('makes back-to-back intervals per node, unknown before the first observation, cut to the window', () => {
    const h = build().observe('linux01', 100, ALL).observe('linux01', 300, []).observe('linux01', 900, ['vip']).history;
    expect(stateIntervals(h, 0, 500)).toEqual([
      { node: 'linux01', from: 0, until: 100, state: 'unknown', source: 'not yet observed' },
      { node: 'linux01', from: 100, until: 300, state: holding(ALL), source: 'node sampler' },
      { node: 'linux01', from: 300, until: 500, state: holding([]), source: 'node sampler' },
    ]);
  });

  it('starts from the last observation at or before the window', () => {
    const h = build().observe('linux01', 10, ALL).observe('linux01', 50, []).observe('linux01', 80, ['vip']).history;
    expect(stateIntervals(h, 50, 100).map((i) => [i.from, i.until, i.state === 'unknown' ? 'unknown' : i.state.vip])).toEqual([[50, 80, false], [80, 100, true]]);
  });
});

describe('faultWindows', () => {
  it('spans a fault from its start invoke to its stop completion, open faults to the end', () => {
    const h = build().fault('stop-heartbeat', 100, 400).fault('crash', 500).history;
    expect(faultWindows(h, 1000)).toEqual([
      { fault: 'stop-heartbeat', target: ['linux01'], from: 100, until: 400, healed: true },
      { fault: 'crash', target: ['linux01'], from: 500, until: 1000, healed: false },
    ]);
    expect(faultWindows(build().fault('x', 1, 10, false).history, 50)[0]).toMatchObject({ until: 10, healed: false });
  });
});

describe('handovers', () => {
  it('measures the gap between one node letting a resource go and the other taking it', () => {
    const h = build()
      .observe('linux01', 0, ALL).observe('linux02', 0, [])
      .observe('linux01', 1000, ['drbdPrimary', 'mounted']).observe('linux01', 1500, [])
      .observe('linux02', 2000, ['drbdPrimary']).observe('linux02', 2600, ALL)
      .observe('linux02', 3000, ALL, { drbd: 'cs:WFConnection' }).history;
    expect(handovers(h, 'vip', 0, 4000)).toEqual([{ resource: 'vip', from: 'linux01', to: 'linux02', releasedAt: 1000, acquiredAt: 2600, gapMs: 1600 }]);
    // Two observations with the resource held in a row are one stretch, not a handover.
    expect(handovers(h, 'drbdPrimary', 0, 4000)).toEqual([{ resource: 'drbdPrimary', from: 'linux01', to: 'linux02', releasedAt: 1500, acquiredAt: 2000, gapMs: 500 }]);
  });

  it('reports an overlap as a negative gap, and nothing when the holder never changes', () => {
    const h = build().observe('linux01', 0, ['vip']).observe('linux02', 0, []).observe('linux02', 100, ['vip']).observe('linux01', 300, []).history;
    expect(handovers(h, 'vip', 0, 500)[0].gapMs).toBe(-200);
    expect(handovers(build().observe('linux01', 0, ['vip']).observe('linux01', 10, []).observe('linux01', 20, ['vip']).history, 'vip', 0, 50)).toEqual([]);
  });
});

describe('history edges', () => {
  it('keeps append order for events at the same time, however many', () => {
    const h = build().note('a', 5).note('b', 5).note('c', 5).note('d', 1).history;
    expect(h.events().map((e) => (e as { text: string }).text)).toEqual(['d', 'a', 'b', 'c']);
  });

  it('writes one JSON object per line ending in a newline, and reads blank lines as nothing', () => {
    const h = build().note('x', 1).history;
    expect(h.toJsonLines()).toBe('{"kind":"note","text":"x","at":1}\n');
    expect(History.fromJsonLines('\n{"kind":"note","text":"x","at":1}\n\n  \n').events()).toHaveLength(1);
  });

  it('cuts intervals exactly at the window: an observation at `until` is outside, one at `from` starts it', () => {
    const h = build().observe('a', 0, ALL).observe('a', 100, []).observe('a', 200, ['vip']).history;
    expect(stateIntervals(h, 100, 200).map((i) => [i.from, i.until, i.state === 'unknown' ? 'u' : i.state.vip])).toEqual([[100, 200, false]]);
    expect(stateIntervals(h, 0, 0)).toEqual([]);
  });

  it('orders fault windows by their start, and ignores a stop without a start', () => {
    const h = build().fault('b', 500, 600).fault('a', 100, 200).history;
    h.append({ kind: 'op', process: 'nemesis', type: 'ok', f: 'ghost', phase: 'stop', at: 700 });
    h.append({ kind: 'op', process: 'writer-1', type: 'invoke', f: 'a', phase: 'start', at: 800 });
    expect(faultWindows(h, 1000).map((w) => [w.fault, w.from, w.until])).toEqual([['a', 100, 200], ['b', 500, 600]]);
  });

  it('merges back-to-back stretches of one holder and orders handovers in time, across nodes', () => {
    const h = build().observe('a', 0, ['vip'], { drbd: 'x' }).observe('a', 50, ['vip'], { drbd: 'y' }).observe('b', 0, [])
      .observe('a', 100, []).observe('b', 150, ['vip']).observe('b', 300, []).observe('a', 400, ['vip']).history;
    expect(handovers(h, 'vip', 0, 500).map((x) => [x.from, x.to, x.releasedAt, x.acquiredAt])).toEqual([['a', 'b', 100, 150], ['b', 'a', 300, 400]]);
    expect(handovers(h, 'mysqld', 0, 500)).toEqual([]);
    const unseen = build().observe('a', 0, ['vip']).observe('a', 100, 'unknown').observe('b', 0, []).observe('b', 200, ['vip']).history;
    expect(handovers(unseen, 'vip', 0, 300)).toEqual([{ resource: 'vip', from: 'a', to: 'b', releasedAt: 100, acquiredAt: 200, gapMs: 100 }]);
  });
});
