import { describe, expect, it } from 'vitest';
import { ALL, build } from '../history/history.fixture.js';
import { recordPowerOperations } from '../clients/power-switch-reader.js';
import { kernelReadNote, RECORDED_KERNELS } from './service-checker.js';
import { describePath, pathIn, drbdPathChecker, failoverChecker, fenceChecker, outageBudgetChecker, pathCheckers, takeoverStepsChecker, type ExpectedPath } from './path-checker.js';

/** linux01 serves, the fault at 10 s, the service back at `backAt` on `server`, healed at 100 s, home again at 120 s. */
const failover = (server: string | undefined, backAt = 40_000) => {
  const b = build().write(1, 0, 'ok', 10, 'writer-1', 'linux01').write(2, 5000, 'ok', 10, 'writer-1', 'linux01').fault('freeze', 10_000, 100_000)
    .write(3, 11_000, 'fail');
  if (server) b.write(4, backAt, 'ok', 10, 'writer-1', server);
  return b.write(5, 120_000, 'ok', 10, 'writer-1', 'linux01');
};

describe('the failover the scenario expects', () => {
  it('is SAFE when the expected node acknowledged a write after the fault, with how long it took', () => {
    const result = failoverChecker('linux02', 'linux01').check(failover('linux02').history);
    expect(result).toMatchObject({ valid: true, evidence: { secondsAfterTheFault: 30, acknowledgedAfterTheFaultBy: { linux02: 1, linux01: 1 } } });
  });

  it('names FAILOVER-MISSING when only the home node served after the fault', () => {
    const result = failoverChecker('linux02', 'linux01').check(failover(undefined).history);
    expect(result.valid).toBe(false);
    expect(result.findings).toEqual([expect.objectContaining({ id: 'FAILOVER-MISSING' })]);
    expect(result.findings[0].message).toBe("the scenario expects a failover to linux02, and nothing after the fault was served by linux02 (writes acknowledged and the witness's queries answered after the fault: 1 by linux01)");
  });

  it('names FAILOVER-UNEXPECTED when the service left home where no failover is expected', () => {
    const result = failoverChecker('none', 'linux01').check(failover('linux02').history);
    expect(result.valid).toBe(false);
    expect(result.findings[0].id).toBe('FAILOVER-UNEXPECTED');
    expect(result.findings[0].message).toContain(`the first by linux02 at ${new Date(40_000).toISOString()}`);
    expect(failoverChecker('none', 'linux01').check(failover(undefined).history).valid).toBe(true);
  });

  it('judges nothing with `any`, and cannot decide without a fault or without writes after it', () => {
    expect(failoverChecker('any', 'linux01').check(failover(undefined).history).valid).toBe(true);
    expect(failoverChecker('linux02', 'linux01').check(build().write(1, 0, 'ok', 10, 'writer-1', 'linux01').history).findings[0].id).toBe('FAULT-UNSEEN');
    const silent = build().write(1, 0, 'ok', 10, 'writer-1', 'linux01').fault('f', 1000, 2000).history;
    expect(failoverChecker('linux02', 'linux01').check(silent)).toMatchObject({ valid: 'unknown', findings: [{ id: 'FAILOVER-UNSEEN' }] });
  });

  it("counts the host witness's queries that a node's MariaDB answered", () => {
    const b = failover(undefined);
    b.history.append({ kind: 'witness', at: 30_000, probe: 'mysql', address: '192.168.211.120', node: 'linux02' });
    b.history.append({ kind: 'witness', at: 30_200, probe: 'mysql', address: '192.168.211.120', error: 'ECONNREFUSED' });
    expect(failoverChecker('linux02', 'linux01').check(b.history)).toMatchObject({ valid: true, evidence: { secondsAfterTheFault: 20 } });
    expect(failoverChecker('none', 'linux01').check(b.history).findings[0].id).toBe('FAILOVER-UNEXPECTED');
  });

  it('counts a write invoked exactly at the fault as after it', () => {
    const b = build().write(1, 0, 'ok', 10, 'writer-1', 'linux01').fault('f', 1000, 5000).write(2, 1000, 'ok', 10, 'writer-2', 'linux02');
    expect(failoverChecker('linux02', 'linux01').check(b.history).valid).toBe(true);
  });
});

const reset = (at: number, outcome = 'power-cycled') => ({ at: new Date(at).toISOString(), from: '192.168.121.53', action: 'reset' as const, node: 'linux01', before: 'paused', outcome: outcome as 'power-cycled', cutAt: at - 500 });

describe('the fence the scenario expects', () => {
  const withFences = (...ops: ReturnType<typeof reset>[]) => {
    const b = failover('linux02');
    recordPowerOperations(b.history, 0, ops);
    return b.history;
  };

  it('is SAFE when the power switch cut a node after the fault, and names FENCE-MISSING when it did not', () => {
    expect(fenceChecker(true).check(withFences(reset(20_000))).valid).toBe(true);
    const missing = fenceChecker(true).check(withFences());
    expect(missing).toMatchObject({ valid: false, findings: [{ id: 'FENCE-MISSING' }] });
    expect(missing.findings[0].message).toContain('nobody asked it');
    expect(fenceChecker(true).check(withFences(reset(20_000, 'already off'))).valid).toBe(true);
    const refused = fenceChecker(true).check(withFences(reset(20_000, 'refused')));
    expect(refused.findings[0].message).toContain('linux01 refused');
  });

  it('does not count a fence from before the fault', () => {
    expect(fenceChecker(true).check(withFences(reset(9000))).valid).toBe(false);
    expect(fenceChecker(false).check(withFences(reset(9000))).valid).toBe(true);
  });

  it('names FENCE-UNEXPECTED for a fence where none is expected, and cannot decide when the log was not read', () => {
    expect(fenceChecker(false).check(withFences(reset(20_000)))).toMatchObject({ valid: false, findings: [{ id: 'FENCE-UNEXPECTED' }] });
    expect(fenceChecker(false).check(withFences()).valid).toBe(true);
    expect(fenceChecker(true).check(failover('linux02').history)).toMatchObject({ valid: 'unknown', findings: [{ id: 'FENCE-UNSEEN' }] });
    expect(fenceChecker(false).check(failover('linux02').history).valid).toBe('unknown');
  });
});

describe("DRBD's path", () => {
  const read = (b: ReturnType<typeof build>, ...nodes: string[]) => {
    b.note(RECORDED_KERNELS, 200_000);
    for (const node of nodes) b.history.append({ kind: 'note', ...kernelReadNote(node, 0), at: 200_000 });
    return b.history;
  };

  it('wants a split brain seen by a kernel line or a lasting StandAlone', () => {
    const seen = build().observe('linux01', 0, ALL).observe('linux02', 0, []).note('kernel linux02: block drbd0: Split-Brain detected but unresolved, dropping connection!', 50_000);
    expect(drbdPathChecker('split-brain').check(read(seen, 'linux01', 'linux02')).valid).toBe(true);
    const alone = build().observe('linux01', 0, ALL, { drbd: 'cs:StandAlone ro:Primary/Unknown ds:UpToDate/DUnknown' }).observe('linux01', 20_000, ALL);
    expect(drbdPathChecker('split-brain').check(alone.history).valid).toBe(true);
  });

  it('names SPLIT-BRAIN-MISSING when every kernel was read and none spoke, KERNEL-LOG-UNREAD when one was not read', () => {
    const quiet = () => build().observe('linux01', 0, ALL).observe('linux02', 0, []);
    expect(drbdPathChecker('split-brain').check(read(quiet(), 'linux01', 'linux02'))).toMatchObject({ valid: false, findings: [{ id: 'SPLIT-BRAIN-MISSING' }] });
    const unread = drbdPathChecker('split-brain').check(read(quiet(), 'linux01'));
    expect(unread).toMatchObject({ valid: 'unknown', findings: [{ id: 'KERNEL-LOG-UNREAD' }] });
    expect(unread.findings[0].message).toContain('of linux02 was not read');
  });

  it('wants a disk seen Outdated after the fault where the peer must be outdated', () => {
    const b = build().observe('linux02', 0, [], { drbd: 'cs:Connected ro:Secondary/Primary ds:Outdated/UpToDate' }).fault('f', 1000, 9000);
    expect(drbdPathChecker('peer-outdated').check(b.history)).toMatchObject({ valid: false, findings: [{ id: 'PEER-OUTDATED-MISSING' }] });
    b.observe('linux02', 5000, [], { drbd: 'cs:WFConnection ro:Secondary/Unknown ds:Outdated/DUnknown' });
    expect(drbdPathChecker('peer-outdated').check(b.history).valid).toBe(true);
  });
});

describe('the outage budget and the takeover steps', () => {
  it('names OUTAGE-OVER-BUDGET with the outage in seconds, whatever the end state', () => {
    const history = failover('linux02', 80_000).history;
    expect(outageBudgetChecker(70).check(history)).toMatchObject({ valid: false, findings: [{ id: 'OUTAGE-OVER-BUDGET', seconds: 75 }] });
    expect(outageBudgetChecker(75).check(history).valid).toBe(true);
    expect(outageBudgetChecker(75).check(build().write(1, 0, 'fail').history).valid).toBe('unknown');
  });

  it('names the takeover step that took longer than its budget, and only heartbeat\'s steps', () => {
    const b = failover('linux02', 100_000);
    for (const [milestone, at] of [['dead', 14_000], ['promote', 20_000], ['mount', 85_000], ['vip', 88_000], ['mariadb', 90_000], ['acquired', 95_000]] as const) b.haLog('linux02', milestone, at);
    const result = takeoverStepsChecker(60, 5).check(b.history);
    expect(result).toMatchObject({ valid: false, findings: [{ id: 'TAKEOVER-STEP-OVER-BUDGET', seconds: 65 }] });
    expect(result.findings[0].message).toBe("linux02's takeover: promote took 65 s, over the budget of 60 s per step");
    expect(takeoverStepsChecker(65, 5).check(b.history).valid).toBe(true);
    expect(takeoverStepsChecker(10, 5).check(failover(undefined).history).valid).toBe(true);
  });

  it('does not hold a takeover that failed at drbddisk and a later one that got the group to one promote', () => {
    const b = failover('linux02', 150_000);
    // The first attempt's drbddisk start at 20 s failed; heartbeat restarted and the second attempt began at 120 s.
    for (const [milestone, at] of [['dead', 14_000], ['promote', 20_000], ['acquired', 38_000], ['dead', 115_000], ['promote', 120_000], ['mount', 125_000], ['vip', 130_000], ['mariadb', 135_000], ['acquired', 140_000]] as const) b.haLog('linux02', milestone, at);
    const result = takeoverStepsChecker(60, 5).check(b.history);
    expect(result).toMatchObject({ valid: true, evidence: { steps: { decide: 6, 'failed attempts': 100, promote: 5 } } });
    // One attempt whose drbddisk took 100 s is over the budget.
    const slow = failover('linux02', 150_000);
    for (const [milestone, at] of [['dead', 14_000], ['promote', 20_000], ['mount', 125_000], ['vip', 130_000], ['mariadb', 135_000], ['acquired', 140_000]] as const) slow.haLog('linux02', milestone, at);
    expect(takeoverStepsChecker(60, 5).check(slow.history).findings[0].message).toBe("linux02's takeover: promote took 105 s, over the budget of 60 s per step");
  });

  it('holds "decide" to the budget only after a death verdict: a graceful handover\'s decide is the peer\'s release', () => {
    const steps = (withDead: boolean) => {
      const b = failover('linux02', 100_000);
      if (withDead) b.haLog('linux02', 'dead', 11_000);
      for (const [milestone, at] of [['promote', 80_000], ['mount', 85_000], ['vip', 88_000], ['mariadb', 90_000], ['acquired', 95_000]] as const) b.haLog('linux02', milestone, at);
      return takeoverStepsChecker(60, 5).check(b.history);
    };
    expect(steps(false).valid).toBe(true);
    expect(steps(true).findings[0].message).toBe("linux02's takeover: decide took 69 s, over the budget of 60 s per step");
  });
});

describe('a path as a whole', () => {
  const path: ExpectedPath = { failover: 'linux02', fence: true, drbd: 'peer-outdated', outageBudgetSeconds: 90, stepBudgetSeconds: 60 };

  it('runs one checker per stated part and says itself in one line', () => {
    expect(pathCheckers(path, 'linux01', 5).map((c) => c.name)).toEqual([
      'availability: the failover the scenario expects', 'exclusive ownership: the fence the scenario expects', 'DRBD path: peer-outdated',
      "availability: the longest outage within the scenario's budget", 'availability: each takeover step within its budget',
    ]);
    expect(pathCheckers({ ...path, fence: undefined, drbd: 'no-divergence' }, 'linux01', 5)).toHaveLength(3);
    expect(describePath(path)).toBe('failover to linux02, a fence, DRBD peer-outdated, outage ≤ 90 s, each takeover step ≤ 60 s');
    expect(describePath({ ...path, failover: 'none', fence: false, drbd: 'any' })).toBe('no failover, no fence, outage ≤ 90 s, each takeover step ≤ 60 s');
    expect(describePath({ ...path, failover: 'any', fence: undefined })).toMatch(/^failover not judged, DRBD/);
  });
});

describe('paths by profile', () => {
  it('gives the profile\'s path, and refuses a profile the scenario states none for', () => {
    const guide: ExpectedPath = { failover: 'linux02', drbd: 'any', outageBudgetSeconds: 60, stepBudgetSeconds: 60 };
    expect(pathIn({ guide }, 'guide', 'S1')).toBe(guide);
    expect(() => pathIn({ guide }, 'hardened', 'S1')).toThrow('scenario S1 states no path for the profile "hardened" (it has guide)');
  });
});

describe('the path checks, exactly', () => {
  it('say why they cannot decide, in words', () => {
    expect(failoverChecker('linux02', 'linux01').check(build().history).findings).toEqual([{ id: 'FAULT-UNSEEN', message: 'the history has no fault: the path cannot be judged' }]);
    const silent = build().write(1, 0, 'ok', 10, 'writer-1', 'linux01').fault('f', 1000, 2000).history;
    expect(failoverChecker('linux02', 'linux01').check(silent).findings).toEqual([{ id: 'FAILOVER-UNSEEN', message: 'no write was attempted after the fault: whether the service failed over was not seen' }]);
    expect(fenceChecker(true).check(build().history).findings).toEqual([{ id: 'FENCE-UNSEEN', message: "the power switch's log was not read: whether a node was fenced is not known" }]);
    expect(outageBudgetChecker(10).check(build().write(1, 0, 'fail').history)).toEqual({ checker: "availability: the longest outage within the scenario's budget", valid: 'unknown', findings: [{ id: 'OUTAGE-UNSEEN', message: 'no write was acknowledged: the outage cannot be measured' }], evidence: {} });
  });

  it('with `any` or a failover seen, name no finding', () => {
    expect(failoverChecker('any', 'linux01').check(failover('linux02').history).findings).toEqual([]);
    expect(failoverChecker('linux02', 'linux01').check(failover('linux02').history).findings).toEqual([]);
    expect(failoverChecker('linux02', 'linux01').check(failover('linux02').history).evidence.firstServedAt).toBe(new Date(40_000).toISOString());
  });

  it("count only the witness's answered queries from the fault on, in time order with the writes", () => {
    const b = failover(undefined);
    b.history.append({ kind: 'witness', at: 9000, probe: 'mysql', address: '192.168.211.120', node: 'linux02' });
    b.history.append({ kind: 'witness', at: 10_500, probe: 'mysql', address: '192.168.211.120', error: 'ECONNREFUSED' });
    expect(failoverChecker('none', 'linux01').check(b.history).valid).toBe(true);
    expect(failoverChecker('linux02', 'linux01').check(b.history).findings[0].message).toContain('(writes acknowledged and the witness\'s queries answered after the fault: 1 by linux01)');
    b.write(9, 60_000, 'ok', 10, 'writer-2', 'linux02');
    b.history.append({ kind: 'witness', at: 50_000, probe: 'mysql', address: '192.168.211.120', node: 'linux02' });
    expect(failoverChecker('linux02', 'linux01').check(b.history).evidence).toMatchObject({ secondsAfterTheFault: 40, acknowledgedAfterTheFaultBy: { linux01: 1, linux02: 2 } });
    const away = failoverChecker('none', 'linux01').check(b.history).findings[0].message;
    expect(away).toBe(`the scenario expects no failover, yet 2 write(s) or witness queries after the fault were served away from linux01, the first by linux02 at ${new Date(50_000).toISOString()}`);
  });

  it('describe each fence and each refusal', () => {
    const b = failover('linux02');
    recordPowerOperations(b.history, 0, [reset(10_000), { ...reset(30_000, 'refused'), detail: 'wrong or missing token' }, reset(40_000, 'failed')]);
    const result = fenceChecker(false).check(b.history);
    expect(result.findings).toEqual([expect.objectContaining({ id: 'FENCE-UNEXPECTED', message: `the scenario expects no fence, and the power switch fenced linux01 at ${new Date(10_000).toISOString()} (asked by 192.168.121.53)` })]);
    expect(result.evidence).toEqual({ expected: false, fences: [`${new Date(10_000).toISOString()} 192.168.121.53 → reset linux01: power-cycled`] });
    const missing = failover('linux02');
    recordPowerOperations(missing.history, 0, [{ ...reset(30_000, 'refused'), detail: 'wrong or missing token' }, reset(40_000, 'failed')]);
    expect(fenceChecker(true).check(missing.history).findings[0].message).toBe('the scenario expects STONITH, and the power switch fenced no node after the fault (it answered: linux01 refused (wrong or missing token); linux01 failed)');
  });

  it('name what DRBD did not show, in words, and what it did', () => {
    const quiet = build().observe('linux01', 0, ALL).note(RECORDED_KERNELS, 5).history;
    quiet.append({ kind: 'note', ...kernelReadNote('linux01', 0), at: 6 });
    expect(drbdPathChecker('split-brain').check(quiet).findings).toEqual([{ id: 'SPLIT-BRAIN-MISSING', message: 'the scenario expects DRBD to report a split brain, and no node did (no kernel line, no lasting StandAlone)' }]);
    expect(drbdPathChecker('peer-outdated').check(quiet).findings).toEqual([{ id: 'PEER-OUTDATED-MISSING', message: 'the scenario expects DRBD to outdate the peer, and no node was seen with an Outdated disk after the fault' }]);
    const atFault = build().fault('f', 1000, 9000).observe('linux02', 1000, [], { drbd: 'cs:WFConnection ro:Secondary/Unknown ds:Outdated/DUnknown' });
    expect(drbdPathChecker('peer-outdated').check(atFault.history)).toMatchObject({ valid: true, evidence: { firstSeen: `linux02 ${new Date(1000).toISOString()}` } });
    const peerSide = build().fault('f', 1000, 9000).observe('linux01', 2000, ALL, { drbd: 'cs:WFConnection ro:Primary/Unknown ds:UpToDate/Outdated' }).observe('linux02', 2000, 'unknown');
    expect(drbdPathChecker('peer-outdated').check(peerSide.history).valid).toBe(true);
    const words = build().fault('f', 1000, 9000).observe('linux01', 2000, ALL, { drbd: 'cs:Outdated ro:Primary/Unknown ds:UpToDate/DUnknown' });
    expect(drbdPathChecker('peer-outdated').check(words.history).valid).toBe(false);
  });

  it('report the outage against the budget, and each step over it, the longest as the seconds', () => {
    const history = failover('linux02', 80_000).history;
    expect(outageBudgetChecker(70).check(history).findings[0].message).toBe("the service was gone 75 s, over the scenario's budget of 70 s");
    expect(outageBudgetChecker(80).check(history)).toMatchObject({ valid: true, findings: [], evidence: { longestOutageSeconds: 75, budgetSeconds: 80 } });
    const b = failover('linux02', 200_000);
    for (const [milestone, at] of [['dead', 14_000], ['promote', 20_000], ['mount', 85_000], ['vip', 88_000], ['mariadb', 170_000], ['acquired', 175_000]] as const) b.haLog('linux02', milestone, at);
    const steps = takeoverStepsChecker(60, 5).check(b.history);
    expect(steps.findings[0]).toMatchObject({ seconds: 82, message: "linux02's takeover: promote took 65 s, VIP took 82 s, over the budget of 60 s per step" });
    expect(steps.evidence).toEqual({ steps: { detect: 4, decide: 6, promote: 65, mount: 3, VIP: 82, 'MariaDB start': 5, clients: 0 }, budgetSeconds: 60 });
    expect(takeoverStepsChecker(60, 5).check(failover(undefined).history)).toMatchObject({ valid: true, findings: [], evidence: { takeover: 'none logged' } });
  });

  it('check DRBD only where the path names what it must show', () => {
    const base: ExpectedPath = { failover: 'linux02', drbd: 'split-brain', outageBudgetSeconds: 90, stepBudgetSeconds: 60 };
    expect(pathCheckers(base, 'linux01', 5).map((c) => c.name)).toContain('DRBD path: split-brain');
    expect(pathCheckers({ ...base, drbd: 'any' }, 'linux01', 5).map((c) => c.name).filter((n) => n.startsWith('DRBD'))).toEqual([]);
    expect(pathCheckers({ ...base, fence: false }, 'linux01', 5).map((c) => c.name)).toContain('exclusive ownership: the fence the scenario expects');
  });
});
