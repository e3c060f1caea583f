import { describe, expect, it } from 'vitest';
import { bootingSource, BY_THE_HARNESS, History } from '../history/history.js';
import { parseBootFacts } from '../faults/node-return.js';
import { rejoinChecker } from './rejoin-checker.js';

const boot = (history: History, drbd: string, heartbeat: string) => {
  const facts = parseBootFacts('linux01', `drbd ${drbd}\nactive-heartbeat ${heartbeat}\n`, 20);
  history.append({ kind: 'note', text: `boot untouched: linux01 …`, data: { boot: facts } });
};

describe('rejoinChecker', () => {
  it('no node returned: nothing to judge, valid', () => {
    expect(rejoinChecker().check(new History()).valid).toBe(true);
  });

  it('a node that stayed out is BOOT-NO-REJOIN, with its facts as evidence', () => {
    const history = new History();
    boot(history, '', 'inactive');
    const result = rejoinChecker().check(history);
    expect(result.valid).toBe(false);
    expect(result.findings.map((f) => f.id)).toEqual(['BOOT-NO-REJOIN']);
    expect(result.findings[0].message).toMatch(/an operator had to bring it back/);
    expect(result.findings[0].evidence).toMatchObject({ node: 'linux01', rejoined: false });
    expect(result.checker).toMatch(/^availability/);
  });

  it('a node that rejoined by itself is valid; each return is judged', () => {
    const history = new History();
    boot(history, 'WFConnection', 'active');
    expect(rejoinChecker().check(history).valid).toBe(true);
    boot(history, '', 'inactive');
    expect(rejoinChecker().check(history).findings).toHaveLength(1);
  });

  it('a node the harness powered on without a boot note was not watched: UNKNOWN, unless the fault says its boot is not judged', () => {
    const history = new History();
    history.append({ kind: 'observe', node: 'linux01', at: 1000, state: 'unknown', source: bootingSource(BY_THE_HARNESS) });
    const result = rejoinChecker().check(history);
    expect(result).toMatchObject({ valid: 'unknown', findings: [{ id: 'BOOT-UNSEEN' }] });
    expect(result.findings[0].message).toContain(`linux01 on at ${new Date(1000).toISOString()}`);
    history.append({ kind: 'note', at: 500, text: 'an earlier boot', data: { bootNotJudged: 'linux01' } });
    expect(rejoinChecker().check(history).valid).toBe('unknown');
    history.append({ kind: 'note', at: 2000, text: 'inside the fault', data: { bootNotJudged: 'linux01' } });
    expect(rejoinChecker().check(history).valid).toBe(true);
  });

  it("a power switch's reset is not the harness's power-on, and a watched boot decides", () => {
    const history = new History();
    history.append({ kind: 'observe', node: 'linux01', at: 1000, state: 'unknown', source: bootingSource("again by the lab's power switch") });
    expect(rejoinChecker().check(history).valid).toBe(true);
    history.append({ kind: 'observe', node: 'linux01', at: 1000, state: 'unknown', source: bootingSource(BY_THE_HARNESS) });
    boot(history, 'WFConnection', 'active');
    expect(rejoinChecker().check(history).valid).toBe(true);
  });

  it('accounts a power-on only by a boot of that node at or after it; counts the returns', () => {
    const history = new History();
    history.append({ kind: 'observe', node: 'linux01', at: 1000, state: 'unknown', source: bootingSource(BY_THE_HARNESS) });
    history.append({ kind: 'observe', node: 'linux02', at: 1000, state: 'unknown', source: bootingSource(BY_THE_HARNESS) });
    const facts = (node: string, rejoined: string) => parseBootFacts(node, `drbd ${rejoined}\nactive-heartbeat active\n`, 20);
    // linux02's boot and a boot of linux01 before its power-on do not account for linux01's.
    history.append({ kind: 'note', at: 1500, text: 'boot untouched: linux02', data: { boot: facts('linux02', 'WFConnection') } });
    history.append({ kind: 'note', at: 900, text: 'boot untouched: linux01 (earlier)', data: { boot: facts('linux01', 'WFConnection') } });
    history.append({ kind: 'note', at: 1200, text: 'a note that is no boot', data: { other: true } });
    history.append({ kind: 'observe', node: 'linux01', at: 1300, state: 'unknown', source: 'sampler', data: { bootNotJudged: 'linux01' } } as never);
    const unseen = rejoinChecker().check(history);
    expect(unseen).toMatchObject({ valid: 'unknown', findings: [{ id: 'BOOT-UNSEEN' }], evidence: { returns: 2, poweredOn: 2 } });
    expect(unseen.findings[0].message).not.toContain('linux02');
    history.append({ kind: 'note', at: 1000, text: 'boot untouched: linux01 watched', data: { boot: facts('linux01', 'WFConnection') } });
    expect(rejoinChecker().check(history)).toMatchObject({ valid: true, evidence: { returns: 3, rejoinedByThemselves: 3 } });
    history.append({ kind: 'note', at: 3000, text: 'boot untouched: linux02 stayed out', data: { boot: facts('linux02', '') } });
    const out = rejoinChecker().check(history);
    expect(out).toMatchObject({ valid: false, evidence: { returns: 4, rejoinedByThemselves: 3 } });
    expect(out.findings[0].message).toBe('linux02 stayed out: an operator had to bring it back (drbdadm up, heartbeat start)');
  });
});

