import { describe, expect, it } from 'vitest';
import { build } from '../history/history.fixture.js';
import { haLogNote } from '../history/ha-log.js';
import { compose } from './checker.js';
import { availability, availabilityChecker, RTO_MARGIN_SECONDS, rtoBreakdownOf, rtoFloorChecker } from './availability-checker.js';

describe('availability', () => {
  it('measures RTO from the fault to the first acknowledged write after the failures, and the longest outage', () => {
    const b = build().write(1, 0, 'ok').write(2, 1000, 'ok').fault('stop-heartbeat', 1500, 30_000)
      .write(3, 2000, 'fail').write(4, 5000, 'info').write(5, 22_000, 'ok').write(6, 23_000, 'ok');
    expect(availability(b.history)).toEqual({ rtoSeconds: 20.5, longestOutageSeconds: 21, outageAfterHealSeconds: 0 });
  });

  it('counts the service back only with a write invoked after the first failure came back, not one in flight with it', () => {
    // Two writers: writer-2's write was invoked before writer-1's failed one came back and was acknowledged right away.
    const b = build().write(1, 0, 'ok', 10, 'writer-1').fault('burst-power-cut', 1000)
      .write(2, 4500, 'fail', 3000, 'writer-1').write(3, 4550, 'ok', 10, 'writer-2').write(4, 60_000, 'ok', 10, 'writer-2');
    expect(availability(b.history).rtoSeconds).toBe(59);
  });

  it('starts the clock at the fault, not at the first failure, and ignores writes still acknowledged right after it', () => {
    const b = build().write(1, 0, 'ok').fault('f', 1500).write(2, 1600, 'ok').write(3, 4000, 'fail').write(4, 9000, 'ok');
    expect(availability(b.history).rtoSeconds).toBe(7.5);
  });

  it('says RTO 0 when no write failed after the fault or there was no fault, and undefined when none came back', () => {
    expect(availability(build().write(1, 0, 'ok').fault('f', 500).write(2, 1000, 'ok').history).rtoSeconds).toBe(0);
    expect(availability(build().write(1, 0, 'ok').write(2, 1000, 'fail').history).rtoSeconds).toBe(0);
    expect(availability(build().write(1, 0, 'ok').fault('f', 500).write(2, 1000, 'fail').history).rtoSeconds).toBeUndefined();
  });

  it('measures the failback outage from the last acknowledged write before the heal', () => {
    const b = build().write(1, 0, 'ok').fault('f', 100, 10_000).write(2, 9000, 'ok').write(3, 11_000, 'fail').write(4, 15_000, 'ok').write(5, 15_500, 'ok');
    expect(availability(b.history)).toEqual({ rtoSeconds: 14.9, longestOutageSeconds: 9, outageAfterHealSeconds: 6 });
  });
});

describe('availability checker', () => {
  it('is valid when the last write was acknowledged, and carries the figures', () => {
    const result = availabilityChecker().check(build().write(1, 0, 'ok').fault('f', 100, 200).write(2, 300, 'fail').write(3, 2300, 'ok').history);
    expect(result).toMatchObject({ valid: true, findings: [], evidence: { rtoSeconds: 2.2, longestOutageSeconds: 2.3 } });
  });

  it('is invalid when the service never came back, naming the last write', () => {
    const result = availabilityChecker().check(build().write(1, 0, 'ok').write(2, 1000, 'info').write(3, 2000, 'pending').history);
    expect(result.valid).toBe(false);
    expect(result.findings).toEqual([{ id: 'SERVICE-LOST', message: `the last write (${new Date(1000).toISOString()}) was not acknowledged: info` }]);
  });

  it('cannot decide without writes', () => {
    expect(availabilityChecker().check(build().note('x', 0).history).valid).toBe('unknown');
  });
});

describe('availability, exactly', () => {
  it('counts a write invoked exactly at the fault as after it, and the first ok strictly after the first failure', () => {
    const b = build().write(1, 0, 'ok').fault('f', 1000).write(2, 1000, 'fail', 5).write(3, 1000, 'ok', 5, 'writer-2').write(4, 3000, 'ok');
    expect(availability(b.history).rtoSeconds).toBe(2);
  });

  it('measures the failback gap from the last acknowledged write before the heal, and writes exactly at the heal', () => {
    const b = build().write(1, 0, 'ok').fault('f', 100, 5000).write(2, 4000, 'ok').write(3, 5000, 'ok').write(4, 5500, 'ok');
    expect(availability(b.history).outageAfterHealSeconds).toBe(1);
    expect(availability(build().write(1, 0, 'ok').write(2, 4000, 'ok').history).outageAfterHealSeconds).toBe(0);
  });

  it('names the checker and its finding exactly when there was no write', () => {
    expect(availabilityChecker().check(build().write(1, 0, 'pending').history)).toEqual({
      checker: 'availability', valid: 'unknown', findings: [{ id: 'NO-WRITES', message: 'no write was attempted' }],
      evidence: { rtoSeconds: 0, longestOutageSeconds: 0, outageAfterHealSeconds: 0 },
    });
  });
});

describe('rtoFloorChecker', () => {
  /** A takeover by linux02 whose scripts take `scriptSeconds` in all (4 steps), the first acknowledged write after it at `backAt`. */
  const failover = (backAt: number, scriptSeconds = 20, without?: string) => {
    const b = build().write(1, 0, 'ok').fault('power-cut', 1000, backAt + 60_000).write(2, 1500, 'fail');
    const step = (scriptSeconds / 4) * 1000;
    const milestones = [['dead', 6000], ['promote', 7000], ['mount', 7000 + step], ['vip', 7000 + 2 * step], ['mariadb', 7000 + 3 * step], ['acquired', 7000 + 4 * step]] as const;
    for (const [milestone, at] of milestones) if (milestone !== without) b.note(haLogNote('linux02', { at, milestone, line: `a ${milestone} line` }), at);
    return b.write(3, backAt, 'ok').history;
  };

  it('passes an RTO within the margin over deadtime plus the scripts, with the breakdown as evidence', () => {
    const result = rtoFloorChecker({ deadtimeSeconds: 5 }).check(failover(30_000));
    expect(result.valid).toBe(true);
    expect(result.evidence.breakdown).toBe('linux02: detect 5 s, decide 1 s, promote 5 s, mount 5 s, VIP 5 s, MariaDB start 5 s, clients 3 s (RTO 29 s, floor 25 s)');
  });

  it('names RTO-OVER-FLOOR when the RTO is more than the margin over the floor, saying where the time went', () => {
    const floor = 5 + 20;
    const result = rtoFloorChecker({ deadtimeSeconds: 5 }).check(failover(1000 + (floor + RTO_MARGIN_SECONDS + 2) * 1000));
    expect(result.valid).toBe(false);
    expect(result.findings[0].id).toBe('RTO-OVER-FLOOR');
    expect(result.findings[0].message).toMatch(/^RTO 32 s over the floor \(deadtime 5 s \+ the resource scripts\), more than 30 s: linux02: .* clients 31 s \(RTO 57 s, floor 25 s\)$/);
    expect(rtoFloorChecker({ deadtimeSeconds: 5 }).check(failover(1000 + (floor + RTO_MARGIN_SECONDS - 1) * 1000)).valid).toBe(true);
    expect(rtoFloorChecker({ deadtimeSeconds: 5, marginSeconds: 10 }).check(failover(1000 + (floor + 12) * 1000)).valid).toBe(false);
  });

  it('cannot decide when the log missed a step of the takeover, and has nothing to judge without a takeover', () => {
    const partial = rtoFloorChecker({ deadtimeSeconds: 5 }).check(failover(30_000, 20, 'vip'));
    expect(partial.valid).toBe('unknown');
    expect(partial.findings[0].id).toBe('RTO-FLOOR-UNSEEN');
    const noTakeover = build().write(1, 0, 'ok').fault('kill-mysqld', 1000, 40_000).write(2, 1500, 'fail').write(3, 20_000, 'ok').history;
    expect(rtoFloorChecker({ deadtimeSeconds: 5 }).check(noTakeover)).toMatchObject({ valid: true, findings: [] });
  });

  it('hands its breakdown to the sign-off table from a composed verdict, and nothing without a takeover', () => {
    const composed = compose('scenario', [availabilityChecker(), rtoFloorChecker({ deadtimeSeconds: 5 })]);
    expect(rtoBreakdownOf(composed.check(failover(30_000)))).toMatch(/^linux02: detect 5 s, .* \(RTO 29 s, floor 25 s\)$/);
    expect(rtoBreakdownOf(rtoFloorChecker({ deadtimeSeconds: 5 }).check(failover(30_000)))).toMatch(/^linux02: /);
    expect(rtoBreakdownOf(composed.check(build().write(1, 0, 'ok').history))).toBeUndefined();
  });
});

describe('the RTO checker where a failover is part of the path', () => {
  const unlogged = () => build().write(1, 0, 'ok').fault('freeze', 1000, 60_000).write(2, 2000, 'fail').write(3, 40_000, 'ok', 10, 'writer-1', 'linux02')
    .observe('linux01', 0, []).observe('linux02', 0, []);

  it('is UNKNOWN when the ha-logs were read and none shows the expected takeover, with the RTO as its seconds', () => {
    const history = unlogged().haLogRead('linux01', 50_000).haLogRead('linux02', 50_000).history;
    const result = rtoFloorChecker({ deadtimeSeconds: 5, failoverExpected: true }).check(history);
    expect(result.valid).toBe('unknown');
    expect(result.findings).toEqual([expect.objectContaining({ id: 'TAKEOVER-UNLOGGED', seconds: 39 })]);
    expect(rtoFloorChecker({ deadtimeSeconds: 5 }).check(history).valid).toBe(true);
  });

  it('is UNKNOWN naming the node whose ha-log was not read', () => {
    const result = rtoFloorChecker({ deadtimeSeconds: 5, failoverExpected: true }).check(unlogged().haLogRead('linux01', 50_000).history);
    expect(result.findings).toEqual([expect.objectContaining({ id: 'HA-LOG-UNREAD' })]);
    expect(result.findings[0].message).toContain('of linux02 was not read');
  });

  it('has nothing to judge when the writes never failed', () => {
    const history = build().write(1, 0, 'ok').fault('f', 1000, 5000).write(2, 2000, 'ok').observe('linux01', 0, []).history;
    expect(rtoFloorChecker({ deadtimeSeconds: 5, failoverExpected: true }).check(history).valid).toBe(true);
  });

  it('gives RTO-OVER-FLOOR its seconds over the floor, for an acceptance\'s bound', () => {
    const b = build().write(1, 0, 'ok').fault('stop-heartbeat', 1000, 200_000).write(2, 1500, 'fail');
    for (const [milestone, at] of [['dead', 6000], ['promote', 7000], ['mount', 8000], ['vip', 9000], ['mariadb', 10_000], ['acquired', 11_000]] as const) b.haLog('linux02', milestone, at);
    const result = rtoFloorChecker({ deadtimeSeconds: 5 }).check(b.write(3, 100_000, 'ok').history);
    expect(result.findings[0]).toMatchObject({ id: 'RTO-OVER-FLOOR', seconds: 99 - 9 });
  });
});

describe('the longest outage of a service that did not come back', () => {
  it('runs from the last acknowledged write to the last write tried', () => {
    const b = build().write(1, 0, 'ok').fault('f', 500).write(2, 1000, 'fail', 10).write(3, 90_000, 'fail', 5000);
    expect(availability(b.history).longestOutageSeconds).toBe(95);
    expect(availability(build().write(1, 0, 'ok').write(2, 3000, 'ok').write(3, 4000, 'fail', 5000).history).longestOutageSeconds).toBe(6);
    expect(availability(build().write(1, 0, 'ok').write(2, 3000, 'ok').write(3, 4000, 'pending').history).longestOutageSeconds).toBe(3);
  });
});

describe('the RTO checker, word for word', () => {
  const failover = (backAt: number) => {
    const b = build().write(1, 0, 'ok').fault('power-cut', 1000, backAt + 60_000).write(2, 1500, 'fail');
    const milestones = [['dead', 6000], ['promote', 7000], ['mount', 12_000], ['vip', 17_000], ['mariadb', 22_000], ['acquired', 27_000]] as const;
    for (const [milestone, at] of milestones) b.note(haLogNote('linux02', { at, milestone, line: `a ${milestone} line` }), at);
    return b.write(3, backAt, 'ok').history;
  };

  it('is valid exactly at the margin over the floor and invalid a second past it', () => {
    // Floor 25 s (deadtime 5 + 4 x 5 s); the RTO runs from the fault at 1 s.
    expect(rtoFloorChecker({ deadtimeSeconds: 5, marginSeconds: 10 }).check(failover(1000 + 35_000))).toMatchObject({ valid: true, findings: [], evidence: { overSeconds: 10 } });
    expect(rtoFloorChecker({ deadtimeSeconds: 5, marginSeconds: 10 }).check(failover(1000 + 36_000))).toMatchObject({ valid: false, findings: [{ id: 'RTO-OVER-FLOOR', seconds: 11 }] });
  });

  it('says what it could not see, in words and evidence', () => {
    const unseen = build().write(1, 0, 'ok').fault('power-cut', 1000, 90_000).write(2, 1500, 'fail');
    unseen.note(haLogNote('linux02', { at: 7000, milestone: 'promote', line: 'a promote line' }), 7000);
    const result = rtoFloorChecker({ deadtimeSeconds: 5 }).check(unseen.write(3, 31_000, 'ok').history);
    expect(result).toMatchObject({ valid: 'unknown', findings: [{ id: 'RTO-FLOOR-UNSEEN', seconds: 30 }] });
    expect(result.findings[0].message).toBe("heartbeat's log did not show every step of the takeover: linux02: detect ?, decide 6 s, promote ?, mount ?, VIP ?, MariaDB start ?, clients ? (RTO 30 s)");
    expect(result.evidence).toEqual({ breakdown: 'linux02: detect ?, decide 6 s, promote ?, mount ?, VIP ?, MariaDB start ?, clients ? (RTO 30 s)' });
    const none = build().write(1, 0, 'ok').fault('f', 1000, 5000).write(2, 2000, 'fail').write(3, 4000, 'ok').observe('linux01', 0, []).haLogRead('linux01', 9000).history;
    expect(rtoFloorChecker({ deadtimeSeconds: 5 }).check(none).evidence).toEqual({ takeover: "none in heartbeat's log after the fault" });
    const unlogged = rtoFloorChecker({ deadtimeSeconds: 5, failoverExpected: true }).check(none);
    expect(unlogged.findings[0].message).toBe("a failover was expected (RTO 3 s) and no node's ha-log shows a takeover after the fault");
    expect(unlogged.evidence).toEqual({ unread: [] });
    const unread = build().write(1, 0, 'ok').fault('f', 1000, 5000).write(2, 2000, 'fail').write(3, 4000, 'ok').observe('linux01', 0, []).observe('linux02', 0, []).history;
    expect(rtoFloorChecker({ deadtimeSeconds: 5, failoverExpected: true }).check(unread).findings[0].message).toBe("a failover was expected and heartbeat's log of linux01, linux02 was not read: the takeover cannot be judged");
    expect(rtoBreakdownOf({ checker: 'other', valid: true, findings: [], evidence: { breakdown: 'x' } })).toBeUndefined();
    expect(rtoBreakdownOf({ checker: 'availability: RTO within the floor the configuration implies', valid: true, findings: [], evidence: { breakdown: 7 } })).toBeUndefined();
  });
});

