import { describe, expect, it } from 'vitest';
import { ALL, build } from '../history/history.fixture.js';
import { scenarioChecker } from './scenario-checker.js';

describe('scenarioChecker', () => {
  it('composes every verdict of a scenario, valid for a clean failback', () => {
    const h = build().observe('linux01', 0, ALL, { drbd: 'cs:Connected ro:Primary/Secondary ds:UpToDate/UpToDate' }).observe('linux02', 0, [])
      .write(1, 10, 'ok').readOwn(1, 25, true).read([1], 100).witnessFor('192.168.211.120').arp(5, '192.168.211.120', 'linux01').history;
    const result = scenarioChecker({ endsOn: 'linux01', datadir: '/data/mysql', deadtimeSeconds: 5 }).check(h);
    expect(result.checker).toBe('scenario');
    expect(result.results?.map((r) => r.checker)).toEqual([
      'ledger', 'ledger: read-your-writes', 'split brain (DRBD)', 'exclusive drbdPrimary', 'exclusive mounted', 'exclusive vip', 'exclusive mysqld',
      'exclusive vip: the host witness saw the VIP', 'group order (DRBD ⊇ mount ⊇ VIP ⊇ mysqld)', 'service ends on linux01', 'DRBD ends UpToDate/UpToDate', 'availability',
      'availability: RTO within the floor the configuration implies', 'availability: a returning node rejoins by itself',
    ]);
    expect(result.valid).toBe(true);
    expect(scenarioChecker({ endsOn: 'linux02', datadir: '/data/mysql', deadtimeSeconds: 5 }).check(h).valid).toBe(false);
  });

  it('adds the path checks where the scenario states a path, and says UNKNOWN without the host witness', () => {
    const h = build().observe('linux01', 0, ALL, { drbd: 'cs:Connected ro:Primary/Secondary ds:UpToDate/UpToDate' }).observe('linux02', 0, [])
      .write(1, 10, 'ok').read([1], 100).history;
    const path = { failover: 'none', drbd: 'no-divergence', outageBudgetSeconds: 30, stepBudgetSeconds: 60 } as const;
    const result = scenarioChecker({ endsOn: 'linux01', datadir: '/data/mysql', deadtimeSeconds: 5, path }).check(h);
    expect(result.results?.map((r) => r.checker)).toContain("availability: the longest outage within the scenario's budget");
    expect(result.results?.find((r) => r.checker.startsWith('exclusive vip: the host'))?.findings[0].id).toBe('WITNESS-UNSEEN');
  });

  it('expects a logged takeover only where the path names the node that takes over', () => {
    // The service went away at 10 s and came back at 40 s; no ha-log was read on either node.
    const h = build().observe('linux01', 0, ALL, { drbd: 'cs:Connected ro:Primary/Secondary ds:UpToDate/UpToDate' }).observe('linux02', 0, [])
      .fault('stop heartbeat', 5, 50).write(1, 10, 'fail').write(2, 40, 'ok').read([2], 100).history;
    const rto = (failover: 'linux02' | 'none' | 'any') => scenarioChecker({
      endsOn: 'linux01', datadir: '/data/mysql', deadtimeSeconds: 5,
      path: { failover, drbd: 'any', outageBudgetSeconds: 300, stepBudgetSeconds: 60 },
    }).check(h).results?.find((r) => r.checker === 'availability: RTO within the floor the configuration implies');
    expect(rto('linux02')?.valid).toBe('unknown');
    expect(rto('linux02')?.findings.map((f) => f.id)).toEqual(['HA-LOG-UNREAD']);
    expect(rto('linux02')?.evidence).toEqual({ unread: ['linux01', 'linux02'] });
    expect(rto('none')?.valid).toBe(true);
    expect(rto('any')?.valid).toBe(true);
    const withoutPath = scenarioChecker({ endsOn: 'linux01', datadir: '/data/mysql', deadtimeSeconds: 5 }).check(h);
    expect(withoutPath.results?.find((r) => r.checker.startsWith('availability: RTO'))?.valid).toBe(true);
  });

  it('holds a profile that promises a failback after the resync to it', () => {
    const h = build().observe('linux01', 0, ALL, { drbd: 'cs:Connected ro:Primary/Secondary ds:UpToDate/UpToDate' }).observe('linux02', 0, []).history;
    const names = (failbackWaitsForUpToDate: boolean) => scenarioChecker({ endsOn: 'linux01', datadir: '/data/mysql', deadtimeSeconds: 5, failbackWaitsForUpToDate }).check(h).results?.map((r) => r.checker);
    expect(names(true)).toContain('data safety: a node promoted only on an UpToDate disk');
    expect(names(false)).not.toContain('data safety: a node promoted only on an UpToDate disk');
  });
});
