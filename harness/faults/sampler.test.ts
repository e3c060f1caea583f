import { describe, expect, it } from 'vitest';
import { doubleOwnership, serviceOwner, timeline, type Sample } from './sampler.js';

const owner = (node: string, held: string[], reachable = true) => ({
  node, reachable, vip: held.includes('vip'), drbdPrimary: held.includes('drbdPrimary'), mounted: held.includes('mounted'), mysqld: held.includes('mysqld'),
});
const all = ['vip', 'drbdPrimary', 'mounted', 'mysqld'];

const failover: Sample[] = [
  { at: 1000, owners: [owner('linux01', all), owner('linux02', [])] },
  { at: 2000, owners: [owner('linux01', ['drbdPrimary', 'mounted']), owner('linux02', [])] },
  { at: 3000, owners: [owner('linux01', []), owner('linux02', ['drbdPrimary'])] },
  { at: 4000, owners: [owner('linux01', []), owner('linux02', all)] },
];

describe('owner sampler logic', () => {
  it('finds no violation in a clean failover', () => {
    expect(doubleOwnership(failover)).toEqual([]);
  });

  it('flags two VIP holders, and two primaries, at the sampled moment', () => {
    const split: Sample[] = [{ at: 5000, owners: [owner('linux01', ['vip', 'mysqld']), owner('linux02', ['vip', 'drbdPrimary', 'mysqld'])] }];
    expect(doubleOwnership(split)).toEqual([
      { at: 5000, resource: 'vip', nodes: ['linux01', 'linux02'] },
      { at: 5000, resource: 'mysqld', nodes: ['linux01', 'linux02'] },
    ]);
  });

  it('counts an unreachable node as holding nothing', () => {
    expect(doubleOwnership([{ at: 1, owners: [owner('linux01', [], false), owner('linux02', all)] }])).toEqual([]);
  });

  it('writes one timeline line per change, and names where the service ended', () => {
    expect(timeline(failover, 1000)).toEqual([
      '    0.0 s  linux01: vip+drbdPrimary+mounted+mysqld | linux02: -',
      '    1.0 s  linux01: drbdPrimary+mounted | linux02: -',
      '    2.0 s  linux01: - | linux02: drbdPrimary',
      '    3.0 s  linux01: - | linux02: vip+drbdPrimary+mounted+mysqld',
    ]);
    expect(serviceOwner(failover)).toBe('linux02');
    expect(serviceOwner([{ at: 1, owners: [owner('linux01', ['vip']), owner('linux02', [])] }])).toBeUndefined();
  });
});
