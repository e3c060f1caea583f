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
});
