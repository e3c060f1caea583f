import { describe, expect, it } from 'vitest';
import { ALL, build } from '../history/history.fixture.js';
import { drbdInSyncChecker, finalStates, groupOrderChecker, parseDrbdWords, kernelReadNote, primaryOnInconsistentChecker, promotedOnUpToDateChecker, RECORDED_KERNELS, serviceEndsOnChecker, splitBrainChecker } from './service-checker.js';

const home = () => build().observe('linux01', 0, []).observe('linux02', 0, ALL).observe('linux02', 100, []).observe('linux01', 200, ALL, { drbd: 'cs:Connected ro:Primary/Secondary ds:UpToDate/UpToDate' });

describe('service ends on', () => {
  it('is valid when the node holds everything on the datadir and the other nothing', () => {
    const result = serviceEndsOnChecker('linux01', '/data/mysql').check(home().history);
    expect(result).toMatchObject({ valid: true, findings: [], evidence: { linux01: 'drbdPrimary+mounted+vip+mysqld (datadir /data/mysql)', linux02: 'nothing' } });
  });

  it('names where the service really ended', () => {
    const stayed = serviceEndsOnChecker('linux01', '/data/mysql').check(build().observe('linux01', 0, []).observe('linux02', 0, ALL).history);
    expect(stayed.valid).toBe(false);
    expect(stayed.findings[0]).toMatchObject({ id: 'SERVICE-END', message: 'expected linux01 to hold everything (datadir /data/mysql) and the others nothing; ended with linux01: nothing, linux02: drbdPrimary+mounted+vip+mysqld (datadir /data/mysql)' });
  });

  it('is invalid when the other node still holds something, or MySQL runs from another datadir', () => {
    expect(serviceEndsOnChecker('linux01', '/data/mysql').check(home().observe('linux02', 300, ['vip']).history).valid).toBe(false);
    expect(serviceEndsOnChecker('linux01', '/data/mysql').check(home().observe('linux01', 300, ALL, { datadir: '/var/lib/mysql' }).history).valid).toBe(false);
    expect(serviceEndsOnChecker('linux01', '/data/mysql').check(home().observe('linux01', 300, ['drbdPrimary', 'mounted', 'vip']).history).valid).toBe(false);
  });

  it('is unknown when a node\'s last state is unknown, or the node was never seen', () => {
    expect(serviceEndsOnChecker('linux01', '/data/mysql').check(home().observe('linux02', 300, 'unknown').history).valid).toBe('unknown');
    const never = serviceEndsOnChecker('linux03', '/data/mysql').check(home().history);
    expect(never.valid).toBe('unknown');
    expect(never.findings[0].message).toBe('linux03 was never observed');
  });
});

describe('DRBD ends UpToDate/UpToDate', () => {
  it('is valid when every node last reported Connected and both disks UpToDate', () => {
    expect(drbdInSyncChecker().check(home().history).valid).toBe(true);
  });

  it('names a node still syncing, or split and StandAlone', () => {
    const syncing = drbdInSyncChecker().check(home().observe('linux02', 300, [], { drbd: 'cs:SyncSource ro:Secondary/Primary ds:UpToDate/Inconsistent' }).history);
    expect(syncing.valid).toBe(false);
    expect(syncing.findings[0].message).toBe('not connected and UpToDate/UpToDate at the end: linux02 cs:SyncSource ro:Secondary/Primary ds:UpToDate/Inconsistent');
    const split = drbdInSyncChecker().check(home().observe('linux02', 300, [], { drbd: 'cs:StandAlone ro:Secondary/Unknown ds:UpToDate/DUnknown' }).history);
    expect(split.valid).toBe(false);
    expect(drbdInSyncChecker().check(home().observe('linux02', 300, [], { drbd: 'cs:Connected ro:Secondary/Primary ds:Outdated/UpToDate' }).history).valid).toBe(false);
  });

  it('is unknown when a node\'s DRBD state was not seen, or no node was', () => {
    expect(drbdInSyncChecker().check(home().observe('linux02', 300, 'unknown').history).valid).toBe('unknown');
    expect(drbdInSyncChecker().check(home().observe('linux02', 300, [], { drbd: undefined }).history).valid).toBe('unknown');
    expect(drbdInSyncChecker().check(build().note('x', 1).history).valid).toBe('unknown');
  });
});

describe('helpers', () => {
  it('reads DRBD\'s words and each node\'s last state', () => {
    expect(parseDrbdWords('cs:Connected ro:Primary/Secondary ds:UpToDate/UpToDate')).toEqual({ cs: 'Connected', ro: 'Primary/Secondary', ds: 'UpToDate/UpToDate' });
    expect(parseDrbdWords('cs:Unconfigured')).toEqual({ cs: 'Unconfigured' });
    expect(parseDrbdWords('powered off')).toEqual({});
    expect([...finalStates(home().observe('linux02', 300, 'unknown').history)].map(([n, s]) => [n, s === 'unknown' ? s : s.vip])).toEqual([['linux01', true], ['linux02', 'unknown']]);
  });
});

describe('group order', () => {
  it('is valid while every node holds a prefix of drbdPrimary, mounted, vip, mysqld', () => {
    const h = build().observe('linux01', 0, ['drbdPrimary']).observe('linux01', 1, ['drbdPrimary', 'mounted']).observe('linux01', 2, ['drbdPrimary', 'mounted', 'vip'])
      .observe('linux01', 3, ALL).observe('linux01', 4, ['drbdPrimary', 'mounted', 'vip']).observe('linux01', 5, []).observe('linux02', 5, 'unknown').history;
    expect(groupOrderChecker().check(h)).toMatchObject({ valid: true, findings: [], evidence: { breaches: 0 } });
  });

  it('names mysqld running on a node that already gave the VIP up (socket activation during the release)', () => {
    const h = build().observe('linux01', 0, ALL).observe('linux01', 1000, ['drbdPrimary', 'mounted', 'vip'])
      .observe('linux01', 2000, ['drbdPrimary', 'mounted']).observe('linux01', 3000, ['drbdPrimary', 'mounted', 'mysqld']).observe('linux01', 4000, []).history;
    const result = groupOrderChecker().check(h);
    expect(result.valid).toBe(false);
    expect(result.findings[0].id).toBe('GROUP-ORDER');
    expect(result.findings[0].message).toBe(`1 observation(s) with a resource held without the ones before it; first on linux01 at ${new Date(3000).toISOString()}: drbdPrimary+mounted+mysqld (datadir /data/mysql)`);
  });

  it('catches each resource out of order', () => {
    for (const held of [['mounted'], ['vip'], ['mysqld'], ['drbdPrimary', 'vip'], ['drbdPrimary', 'mounted', 'mysqld']] as const) {
      expect(groupOrderChecker().check(build().observe('linux01', 0, [...held]).history).valid, held.join('+')).toBe(false);
    }
  });
});

describe('split brain', () => {
  const alone = 'cs:StandAlone ro:Primary/Unknown ds:UpToDate/DUnknown';
  it('is valid while DRBD never stayed StandAlone, e.g. drbdadm up\'s moment between attach and connect', () => {
    expect(splitBrainChecker().check(home().observe('linux02', 300, [], { drbd: 'cs:WFConnection ro:Secondary/Unknown ds:UpToDate/DUnknown' }).history).valid).toBe(true);
    const up = home().observe('linux02', 300, [], { drbd: alone }).observe('linux02', 900, [], { drbd: 'cs:WFConnection ro:Secondary/Unknown ds:UpToDate/DUnknown' }).history;
    expect(splitBrainChecker().check(up).valid).toBe(true);
  });

  it('names the nodes that stayed StandAlone for 10 s or more, with the kernel\'s words', () => {
    const h = home().observe('linux02', 300, ALL, { drbd: alone }).observe('linux01', 310, ALL, { drbd: alone })
      .observe('linux02', 400, 'unknown').observe('linux02', 500, ALL, { drbd: alone })
      .note('kernel linux01: block drbd0: Split-Brain detected but unresolved, dropping connection!', 320)
      .observe('linux02', 10_300, [], { drbd: 'cs:SyncTarget ro:Secondary/Primary ds:Inconsistent/UpToDate' }).note('end', 20_310).history;
    const result = splitBrainChecker().check(h);
    expect(result.valid).toBe(false);
    expect(result.findings[0].id).toBe('SPLIT-BRAIN');
    expect(result.findings[0].message).toBe(`DRBD stayed StandAlone on linux01 and linux02 (linux01 20 s from ${new Date(310).toISOString()}, linux02 10 s from ${new Date(300).toISOString()}): the disks diverged (kernel: kernel linux01: block drbd0: Split-Brain detected but unresolved, dropping connection!)`);
  });

  it('takes the kernel\'s "Split-Brain detected" alone as enough, and not 9.9 s of StandAlone', () => {
    expect(splitBrainChecker().check(home().note('kernel linux02: drbd r0: Split-Brain detected, dropping connection!', 300).history).valid).toBe(false);
    const short = home().observe('linux02', 300, [], { drbd: alone }).observe('linux02', 10_199, []).history;
    expect(splitBrainChecker().check(short).valid).toBe(true);
    const exactly = home().observe('linux02', 300, [], { drbd: alone }).observe('linux02', 10_300, []).history;
    expect(splitBrainChecker().check(exactly).valid).toBe(false);
  });
});

describe('service and DRBD checkers, exactly', () => {
  it('says which node was unseen at the end, and what every node ended with', () => {
    const result = serviceEndsOnChecker('linux01', '/data/mysql').check(home().observe('linux02', 300, 'unknown').history);
    expect(result).toEqual({
      checker: 'service ends on linux01', valid: 'unknown',
      findings: [{ id: 'SERVICE-END-UNSEEN', message: 'last state unknown for linux02' }],
      evidence: { linux01: 'drbdPrimary+mounted+vip+mysqld (datadir /data/mysql)', linux02: 'unknown' },
    });
    expect(serviceEndsOnChecker('linux03', '/data/mysql').check(home().history).findings).toEqual([{ id: 'SERVICE-END-UNSEEN', message: 'linux03 was never observed' }]);
  });

  it('needs every other node to hold nothing, not just one of them', () => {
    const three = home().observe('linux03', 0, []).observe('linux03', 200, ['vip']).history;
    expect(serviceEndsOnChecker('linux01', '/data/mysql').check(three).valid).toBe(false);
  });

  it('reports DRBD\'s words per node, and names the nodes it did not see', () => {
    const ok = drbdInSyncChecker().check(home().history);
    expect(ok).toEqual({ checker: 'DRBD ends UpToDate/UpToDate', valid: true, findings: [], evidence: {
      linux01: 'cs:Connected ro:Primary/Secondary ds:UpToDate/UpToDate', linux02: 'cs:Connected ro:Secondary/Primary ds:UpToDate/UpToDate',
    } });
    const unseen = drbdInSyncChecker().check(home().observe('linux02', 300, 'unknown').history);
    expect(unseen.findings).toEqual([{ id: 'DRBD-END-UNSEEN', message: "DRBD's final state not seen on linux02" }]);
    expect(unseen.evidence).toEqual({ linux01: 'cs:Connected ro:Primary/Secondary ds:UpToDate/UpToDate', linux02: 'unknown' });
    const unreported = drbdInSyncChecker().check(home().observe('linux02', 300, [], { drbd: undefined }).history);
    expect(unreported.findings[0].message).toBe("DRBD's final state not seen on linux02");
    expect(unreported.evidence).toMatchObject({ linux02: 'not reported' });
    expect(drbdInSyncChecker().check(build().note('x', 1).history).findings[0].message).toBe("DRBD's final state not seen on any node");
    const split = drbdInSyncChecker().check(home().observe('linux02', 300, [], { drbd: 'cs:StandAlone ro:Secondary/Unknown ds:UpToDate/DUnknown' }).history);
    expect(split.findings[0].id).toBe('DRBD-END');
    expect(split.findings[0].evidence).toEqual(split.evidence);
  });

  it('reads DRBD\'s words whatever the spacing, keeping only cs, ro and ds', () => {
    expect(parseDrbdWords('cs:Connected   ro:Primary/Secondary\tds:UpToDate/UpToDate')).toEqual({ cs: 'Connected', ro: 'Primary/Secondary', ds: 'UpToDate/UpToDate' });
    expect(parseDrbdWords('cs:WFConnection xx:1 ro')).toEqual({ cs: 'WFConnection' });
  });

  it('group order: counts every breach, and names the checker', () => {
    const h = build().observe('linux01', 0, ['vip']).observe('linux01', 10, ['mounted']).observe('linux02', 20, 'unknown').observe('linux02', 30, ALL).history;
    const result = groupOrderChecker().check(h);
    expect(result.checker).toBe('group order (DRBD ⊇ mount ⊇ VIP ⊇ mysqld)');
    expect(result.evidence).toEqual({ breaches: 2 });
    expect(result.findings[0].evidence).toEqual([
      { node: 'linux01', at: 0, held: 'vip' }, { node: 'linux01', at: 10, held: 'mounted' },
    ]);
  });

  it('split brain: the checker\'s name, evidence, and notes that are not the kernel\'s split-brain line', () => {
    const h = home().note('kernel linux01: drbd r0: conn( Connected -> Disconnecting )', 300).history;
    expect(splitBrainChecker().check(h)).toEqual({ checker: 'split brain (DRBD)', valid: true, findings: [], evidence: { kernel: [] } });
    const seen = splitBrainChecker().check(home().note('kernel linux02: Split-Brain detected, dropping connection!', 300).history);
    expect(seen.findings).toEqual([{ id: 'SPLIT-BRAIN', message: 'DRBD reported split brain: the disks diverged (kernel: kernel linux02: Split-Brain detected, dropping connection!)', evidence: { standalone: [], kernel: ['kernel linux02: Split-Brain detected, dropping connection!'] } }]);
    expect(seen.evidence).toEqual({ kernel: ['kernel linux02: Split-Brain detected, dropping connection!'] });
    const alone = home().observe('linux02', 300, [], { drbd: 'cs:StandAlone ro:Secondary/Unknown ds:UpToDate/DUnknown' }).observe('linux02', 20_300, 'unknown').observe('linux02', 30_300, []).history;
    expect(splitBrainChecker().check(alone).findings[0].evidence).toEqual({ standalone: [{ node: 'linux02', from: 300, seconds: 30 }], kernel: [] });
  });
});

describe('primaryOnInconsistentChecker', () => {
  it('names a node that held Primary while its own disk was not UpToDate', () => {
    const h = build()
      .observe('linux01', 0, ALL, { drbd: 'cs:Connected ro:Primary/Secondary ds:UpToDate/UpToDate' })
      .observe('linux02', 0, [], { drbd: 'cs:Connected ro:Secondary/Primary ds:UpToDate/UpToDate' })
      .observe('linux01', 1000, ALL, { drbd: 'cs:SyncTarget ro:Primary/Secondary ds:Inconsistent/UpToDate' }).history;
    const result = primaryOnInconsistentChecker().check(h);
    expect(result.valid).toBe(false);
    expect(result.findings.map((f) => f.id)).toEqual(['PRIMARY-INCONSISTENT']);
    expect(result.findings[0].message).toContain('linux01 held DRBD Primary on a disk that was not UpToDate');
  });

  it('is valid for a SyncTarget that is Secondary, and for an UpToDate Primary', () => {
    const h = build()
      .observe('linux01', 0, ALL, { drbd: 'cs:SyncSource ro:Primary/Secondary ds:UpToDate/Inconsistent' })
      .observe('linux02', 0, [], { drbd: 'cs:SyncTarget ro:Secondary/Primary ds:Inconsistent/UpToDate' }).history;
    expect(primaryOnInconsistentChecker().check(h)).toMatchObject({ valid: true, findings: [] });
  });
});

describe('promotedOnUpToDateChecker', () => {
  const back = (drbd: string) => build()
    .observe('linux01', 0, [], { drbd: 'cs:SyncTarget ro:Secondary/Primary ds:Inconsistent/UpToDate' })
    .observe('linux02', 0, ALL, { drbd: 'cs:SyncSource ro:Primary/Secondary ds:UpToDate/Inconsistent' })
    .observe('linux01', 1000, ALL, { drbd });

  it('names a failback onto a resync\'s target', () => {
    const result = promotedOnUpToDateChecker().check(back('cs:SyncTarget ro:Primary/Secondary ds:Inconsistent/UpToDate').history);
    expect(result.valid).toBe(false);
    expect(result.findings[0]).toMatchObject({ id: 'PROMOTED-NOT-UPTODATE' });
    expect(result.findings[0].message).toContain('linux01 was made DRBD Primary on a disk that was not UpToDate');
  });

  it('passes a failback after the resync, and a Primary that loses its disk later', () => {
    expect(promotedOnUpToDateChecker().check(back('cs:Connected ro:Primary/Secondary ds:UpToDate/UpToDate').history).valid).toBe(true);
    const detached = build()
      .observe('linux01', 0, ALL, { drbd: 'cs:Connected ro:Primary/Secondary ds:UpToDate/UpToDate' })
      .observe('linux01', 1000, ALL, { drbd: 'cs:Connected ro:Primary/Secondary ds:Diskless/UpToDate' }).history;
    expect(promotedOnUpToDateChecker().check(detached).valid).toBe(true);
  });
});

describe('the split-brain checker and the kernel logs it read', () => {
  const quiet = () => build().observe('linux01', 0, ALL).observe('linux02', 0, []).note(RECORDED_KERNELS, 100);
  it('is SAFE on silence only from kernel logs that were read', () => {
    const b = quiet();
    b.history.append({ kind: 'note', ...kernelReadNote('linux01', 0), at: 101 });
    const unread = splitBrainChecker().check(b.history);
    expect(unread).toMatchObject({ valid: 'unknown', findings: [{ id: 'KERNEL-LOG-UNREAD' }] });
    expect(unread.findings[0].message).toContain('linux02');
    b.history.append({ kind: 'note', ...kernelReadNote('linux02', 3), at: 101 });
    expect(splitBrainChecker().check(b.history).valid).toBe(true);
  });

  it('still names a split brain it saw, read or not', () => {
    const b = quiet().note('kernel linux01: block drbd0: Split-Brain detected, dropping connection!', 50);
    expect(splitBrainChecker().check(b.history).findings[0].id).toBe('SPLIT-BRAIN');
  });
});
