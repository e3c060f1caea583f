import { describe, expect, it } from 'vitest';
import { ALL, build } from '../history/history.fixture.js';
import { decidedByHaLog, exclusiveChecker, observedSpan, overlaps, witnessChecker } from './exclusive-checker.js';
import { stateIntervals } from '../history/history.js';

/** A clean failover and failback of the whole group, 100 ms apart at the closest. */
const failover = () => build()
  .observe('linux01', 0, ALL).observe('linux02', 50, [])
  .observe('linux01', 1000, ['drbdPrimary', 'mounted']).observe('linux01', 1400, [])
  .observe('linux02', 1500, ['drbdPrimary']).observe('linux02', 2000, ALL)
  .note('end', 3000);

describe('observedSpan', () => {
  it('runs from the moment every node was seen to the last event', () => {
    expect(observedSpan(failover().history)).toEqual({ from: 50, until: 3000 });
  });

  it('is undefined with no node, or nothing after the last first sighting', () => {
    expect(observedSpan(build().note('x', 1).history)).toBeUndefined();
    expect(observedSpan(build().observe('linux01', 5, ALL).observe('linux02', 9, []).history)).toBeUndefined();
  });
});

describe('exclusive checker', () => {
  it('finds a clean failover valid for every resource, and measures what it watched', () => {
    for (const resource of ['vip', 'drbdPrimary', 'mounted', 'mysqld'] as const) {
      const result = exclusiveChecker(resource).check(failover().history);
      expect(result.valid, resource).toBe(true);
      expect(result.findings).toEqual([]);
      expect(result.evidence).toEqual({ observedSeconds: 2.95, overlapSeconds: 0, unseenSeconds: 0 });
    }
  });

  it('names two holders of the same resource with the window, however short', () => {
    const split = failover().observe('linux02', 2500, ALL).observe('linux01', 2600, ['vip']).observe('linux01', 2610, []).history;
    const vip = exclusiveChecker('vip').check(split);
    expect(vip.valid).toBe(false);
    expect(vip.findings).toHaveLength(1);
    expect(vip.findings[0].id).toBe('DOUBLE-vip');
    expect(vip.findings[0].message).toBe(`two nodes held vip at once: linux01 and linux02 for 0.010 s from ${new Date(2600).toISOString()}`);
    expect(vip.evidence).toMatchObject({ overlapSeconds: 0.01 });
    expect(exclusiveChecker('mysqld').check(split).valid).toBe(true);
  });

  it('says unknown, not valid, when a node was unseen while the other held the resource', () => {
    const blind = failover().observe('linux01', 1800, 'unknown').observe('linux01', 2500, []).history;
    const result = exclusiveChecker('vip').check(blind);
    expect(result.valid).toBe('unknown');
    expect(result.findings.map((f) => f.id)).toEqual(['UNSEEN-vip']);
    expect(result.evidence).toMatchObject({ unseenSeconds: 0.5, overlapSeconds: 0 });
  });

  it('does not mind a node unseen while the other held nothing', () => {
    const blind = failover().observe('linux01', 1600, 'unknown').observe('linux01', 1900, []).history;
    expect(exclusiveChecker('vip').check(blind).valid).toBe(true);
    // … but the DRBD Primary was taken at 1500: that moment is unseen.
    expect(exclusiveChecker('drbdPrimary').check(blind).valid).toBe('unknown');
  });

  it('says unknown when both nodes are unseen at once, and invalid beats unknown', () => {
    const dark = failover().observe('linux01', 2200, 'unknown').observe('linux02', 2300, 'unknown').observe('linux01', 2400, []).observe('linux02', 2400, ALL).history;
    expect(exclusiveChecker('vip').check(dark).valid).toBe('unknown');
    const both = build().observe('linux01', 0, ['vip']).observe('linux02', 0, ['vip']).observe('linux01', 100, 'unknown').note('end', 200).history;
    expect(exclusiveChecker('vip').check(both).valid).toBe(false);
    expect(exclusiveChecker('vip').check(both).findings.map((f) => f.id)).toEqual(['DOUBLE-vip', 'UNSEEN-vip']);
  });

  it('cannot decide without observations', () => {
    expect(exclusiveChecker('vip').check(build().write(1, 0, 'ok').history).valid).toBe('unknown');
  });
});

describe('an unseen stretch decided by the node\'s own ha-log', () => {
  /** linux02 serves throughout; linux01 is powered off at 1000, booting unseen from 5000, its sampler answers at 20_000. */
  const boot = () => build()
    .observe('linux02', 0, ALL).observe('linux01', 0, [])
    .observe('linux01', 1000, [], { drbd: 'powered off' }, 'power cut')
    .observe('linux01', 5000, 'unknown', {}, 'powered on: booting')
    .observe('linux01', 20_000, []);
  const unseen = (b: ReturnType<typeof boot>) => stateIntervals(b.history, 0, 30_000).find((x) => x.state === 'unknown')!;

  it('is decided when the node held nothing before and after and heartbeat started nothing on it then', () => {
    const b = boot().haLogRead('linux01', 29_000).haLogRead('linux02', 29_000).haLog('linux01', 'promote', 24_000).note('end', 30_000);
    expect(decidedByHaLog(b.history, unseen(b), 'vip')).toMatch(/^linux01 unseen \(powered on: booting\), without vip before and after/);
    const result = exclusiveChecker('vip').check(b.history);
    expect(result.valid).toBe(true);
    expect(result.evidence).toMatchObject({ unseenSeconds: 0, decidedByHaLog: [{ node: 'linux01', seconds: 15 }] });
  });

  it('is not decided when heartbeat started a script on it within the stretch or a margin around it', () => {
    for (const at of [12_000, 2_500, 22_500]) {
      const b = boot().haLogRead('linux01', 29_000).haLog('linux01', 'vip', at).note('end', 30_000);
      expect(decidedByHaLog(b.history, unseen(b), 'drbdPrimary'), String(at)).toBeUndefined();
      expect(exclusiveChecker('drbdPrimary').check(b.history).valid).toBe('unknown');
    }
  });

  it('widens the margin by the node\'s largest measured clock offset (its stamps are on its own clock)', () => {
    const b = boot().haLogRead('linux01', 29_000).haLog('linux01', 'promote', 23_000).note('end', 30_000);
    expect(decidedByHaLog(b.history, unseen(b), 'vip')).toBeDefined();
    b.history.append({ kind: 'clock', node: 'linux01', at: 19_000, offsetMs: -2000, rttMs: 300 });
    expect(decidedByHaLog(b.history, unseen(b), 'vip')).toBeUndefined();
  });

  it('is not decided when the node\'s ha-log was not read, or it was not seen without the resource on both sides', () => {
    const unread = boot().note('end', 30_000);
    expect(decidedByHaLog(unread.history, unseen(unread), 'vip')).toBeUndefined();
    const holdsAfter = build().observe('linux02', 0, ALL).observe('linux01', 0, []).observe('linux01', 5000, 'unknown', {}, 'silent')
      .observe('linux01', 7000, ['drbdPrimary']).haLogRead('linux01', 29_000).note('end', 30_000);
    expect(decidedByHaLog(holdsAfter.history, unseen(holdsAfter), 'drbdPrimary')).toBeUndefined();
    expect(decidedByHaLog(holdsAfter.history, unseen(holdsAfter), 'vip')).toBeDefined();
    // Seen after only as a power cut (its log may have lost its last lines): not its own account.
    const cutAfter = build().observe('linux02', 0, ALL).observe('linux01', 0, []).observe('linux01', 5000, 'unknown', {}, 'silent')
      .observe('linux01', 7000, [], { drbd: 'powered off' }, 'power cut').haLogRead('linux01', 29_000).note('end', 30_000);
    expect(decidedByHaLog(cutAfter.history, unseen(cutAfter), 'vip')).toBeUndefined();
    const heldBefore = build().observe('linux02', 0, ALL).observe('linux01', 0, ['vip']).observe('linux01', 5000, 'unknown', {}, 'silent')
      .observe('linux01', 7000, []).haLogRead('linux01', 29_000).note('end', 30_000);
    expect(decidedByHaLog(heldBefore.history, unseen(heldBefore), 'vip')).toBeUndefined();
  });
});

describe('overlaps', () => {
  it('pairs every node with every other, certain where both were seen holding', () => {
    const h = build().observe('a', 0, ['vip']).observe('b', 0, ['vip']).observe('c', 0, []).observe('c', 50, 'unknown').note('end', 100).history;
    expect(overlaps(h, 'vip', { from: 0, until: 100 })).toEqual([
      { from: 0, until: 100, nodes: ['a', 'b'], certain: true },
      { from: 50, until: 100, nodes: ['a', 'c'], certain: false },
      { from: 50, until: 100, nodes: ['b', 'c'], certain: false },
    ]);
  });
});

describe('the VIP seen by the host witness', () => {
  const VIP = '192.168.211.120';
  /** linux01 serves throughout as its sampler says; linux02's sampler stalls from 5000 to 12_000, idle before and after. */
  const stall = () => build().witnessFor(VIP)
    .observe('linux01', 0, ALL).observe('linux02', 0, []).observe('linux02', 5000, 'unknown', {}, 'observer: no line for 2 s').observe('linux02', 12_000, []);

  it('is DOUBLE-vip when two MACs answered one ARP request, whatever the samplers say', () => {
    const b = stall().arp(8000, VIP, 'linux01').arp(8002, VIP, 'linux02').haLogRead('linux02', 19_000).note('end', 20_000);
    const result = exclusiveChecker('vip').check(b.history);
    expect(result.valid).toBe(false);
    expect(result.findings[0].id).toBe('DOUBLE-vip');
    expect(result.findings[0].message).toContain(`1 ARP round(s) of the host witness with two answers, the first: linux01 and linux02 answered ARP for ${VIP} at ${new Date(8000).toISOString()}`);
    expect(exclusiveChecker('drbdPrimary').check(b.history).findings.map((f) => f.id)).not.toContain('DOUBLE-drbdPrimary');
  });

  it('names a MAC of no lab node answering for the VIP', () => {
    const b = stall().arp(8000, VIP, 'mac:de:ad:be:ef:00:01').haLogRead('linux02', 19_000).note('end', 20_000);
    expect(exclusiveChecker('vip').check(b.history)).toMatchObject({ valid: false, findings: [{ id: 'VIP-FOREIGN' }] });
  });

  it("does not let the ha-log's silence decide a stretch in which the witness heard the node answer for the VIP", () => {
    const quiet = stall().haLogRead('linux02', 19_000).note('end', 20_000);
    expect(exclusiveChecker('vip').check(quiet.history).valid).toBe(true);
    const heard = stall().arp(9000, VIP, 'linux02').haLogRead('linux02', 19_000).note('end', 20_000);
    expect(exclusiveChecker('vip').check(heard.history)).toMatchObject({ valid: 'unknown', findings: [{ id: 'UNSEEN-vip' }] });
  });

  it('decides a stretch by the witness where the ha-log cannot: the node alive on ARP, never for the VIP', () => {
    const b = stall();
    for (let at = 4000; at <= 13_000; at += 200) b.arp(at, '192.168.211.129', 'linux02');
    const result = exclusiveChecker('vip').check(b.note('end', 20_000).history);
    expect(result.valid).toBe(true);
    expect(result.evidence).toMatchObject({ decidedByHaLog: [{ node: 'linux02', why: expect.stringContaining('(host witness)') }] });
    expect(exclusiveChecker('mounted').check(b.history).valid).toBe('unknown');
  });
});

describe('the witness checker', () => {
  it('is UNKNOWN when the witness did not run or heard nothing for the VIP, SAFE when it did', () => {
    expect(witnessChecker().check(build().history)).toMatchObject({ valid: 'unknown', findings: [{ id: 'WITNESS-UNSEEN' }] });
    expect(witnessChecker().check(build().witnessFor('192.168.211.120').history).findings[0].message).toContain('heard no ARP answer for 192.168.211.120');
    expect(witnessChecker().check(build().witnessFor('192.168.211.120').arp(5, '192.168.211.120', 'linux01').history).valid).toBe(true);
  });
});

describe('the host witness, in evidence', () => {
  it('counts only the VIP\'s answers and the queries that named a node', () => {
    const vip = '192.168.211.120';
    const b = build().witnessFor(vip).arp(5, '192.168.211.11', 'linux01');
    expect(witnessChecker().check(b.history)).toMatchObject({ valid: 'unknown', evidence: { vip, arpAnswersForTheVip: 0, mysqlQueries: 0, mysqlAnswered: 0 } });
    b.history.append({ kind: 'witness', at: 6, probe: 'arp', address: vip });
    b.history.append({ kind: 'witness', at: 6, probe: 'mysql', address: vip, node: 'linux01' });
    b.history.append({ kind: 'witness', at: 7, probe: 'mysql', address: vip, error: 'ECONNREFUSED' });
    expect(witnessChecker().check(b.history).evidence).toEqual({ vip, arpAnswersForTheVip: 0, mysqlQueries: 2, mysqlAnswered: 1 });
    b.arp(8, vip, 'linux01');
    expect(witnessChecker().check(b.history)).toEqual({ checker: 'exclusive vip: the host witness saw the VIP', valid: true, findings: [], evidence: { vip, arpAnswersForTheVip: 1, mysqlQueries: 2, mysqlAnswered: 1 } });
    expect(witnessChecker().check(build().history)).toMatchObject({ evidence: { vip: null }, findings: [{ message: "the host witness did not run: the VIP's holders were seen only from inside the guests" }] });
  });
});

