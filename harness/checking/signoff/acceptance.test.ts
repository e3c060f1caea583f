import { describe, expect, it } from 'vitest';
import { checker, compose } from '../checkers/checker.js';
import { build } from '../history/history.fixture.js';
import { judge, loadAcceptance, parseAcceptance, propertyOf, propertyVerdicts, type Acceptance } from './acceptance.js';

const acceptance = (accepted: Partial<Acceptance['accepted'][number]>[]): Acceptance =>
  ({ profile: 'guide', acceptsDataSafety: true, accepted: accepted.map((a) => ({ scenario: 'F1', finding: 'DOUBLE-vip', why: 'no fencing', by: 'ops', mustReproduce: false, ...a })) });

const result = (...parts: [string, true | false | 'unknown', string?][]) => compose('scenario', parts.map(([name, valid, id]) =>
  checker(name, () => ({ valid, findings: id ? [{ id, message: `${id} seen` }] : [], evidence: {} })))).check(build().history);

describe('propertyOf', () => {
  it('files each checker under its sign-off property', () => {
    expect(['ledger', 'ledger: read-your-writes', 'DRBD ends UpToDate/UpToDate', 'split brain', 'data safety: blog'].map(propertyOf)).toEqual(Array(5).fill('data safety'));
    expect(['exclusive vip', 'group order (DRBD ⊇ mount)'].map(propertyOf)).toEqual(['exclusive ownership', 'exclusive ownership']);
    expect(['availability', 'service ends on linux01'].map(propertyOf)).toEqual(['availability', 'availability']);
    expect(() => propertyOf('mystery')).toThrow('checker "mystery" belongs to no sign-off property');
  });
});

describe('propertyVerdicts', () => {
  it('merges each property\'s checkers: UNSAFE beats UNKNOWN beats SAFE, with their findings', () => {
    const verdicts = propertyVerdicts(result(['ledger', false, 'LEDGER-LOST'], ['DRBD ends UpToDate/UpToDate', 'unknown', 'DRBD-END-UNSEEN'],
      ['exclusive vip', 'unknown', 'UNSEEN-vip'], ['exclusive mysqld', true], ['availability', true]));
    expect(verdicts.map((v) => [v.property, v.verdict, v.findings.map((f) => f.id)])).toEqual([
      ['data safety', 'UNSAFE', ['LEDGER-LOST', 'DRBD-END-UNSEEN']],
      ['exclusive ownership', 'UNKNOWN', ['UNSEEN-vip']],
      ['availability', 'SAFE', []],
    ]);
  });

  it('adds the spec\'s own checks to the property their name says', () => {
    const base = result(['ledger', true], ['availability', true]);
    const [blog] = result(['data safety: WordPress tables through the VIP', 'unknown', 'BLOG-UNREAD']).results!;
    const [view] = result(["availability: linux02's heartbeat view", false, 'HB-KILL-1']).results!;
    expect(propertyVerdicts(base, [blog, view]).map((v) => [v.property, v.verdict, v.findings.map((f) => f.id)])).toEqual([
      ['data safety', 'UNKNOWN', ['BLOG-UNREAD']],
      ['exclusive ownership', 'SAFE', []],
      ['availability', 'UNSAFE', ['HB-KILL-1']],
    ]);
  });
});

describe('judge', () => {
  const splitBrain = () => propertyVerdicts(result(['ledger', false, 'LEDGER-LOST'], ['exclusive vip', false, 'DOUBLE-vip'], ['availability', true]));

  it('passes when every finding of a non-SAFE property is accepted for the scenario', () => {
    const j = judge('F1', splitBrain(), acceptance([{ finding: 'DOUBLE-vip' }, { finding: 'LEDGER-LOST', mustReproduce: true }]));
    expect(j.failures).toEqual([]);
    expect(j.reproduced.map((a) => a.finding)).toEqual(['DOUBLE-vip', 'LEDGER-LOST']);
    expect(j.stale).toEqual([]);
  });

  it('a profile that accepts no data loss fails on UNSAFE data safety even where the finding is listed, and passes the rest', () => {
    const strict = { ...acceptance([{ finding: 'DOUBLE-vip' }, { finding: 'LEDGER-LOST' }]), profile: 'hardened', acceptsDataSafety: false };
    expect(judge('F1', splitBrain(), strict).failures).toEqual(['F1: LEDGER-LOST: data safety is UNSAFE, which the hardened profile never accepts: LEDGER-LOST seen']);
    const ownershipOnly = propertyVerdicts(result(['ledger', true], ['exclusive vip', false, 'DOUBLE-vip'], ['availability', true]));
    expect(judge('F1', ownershipOnly, strict).failures).toEqual([]);
    expect(parseAcceptance(JSON.stringify({ profile: 'hardened', acceptsDataSafety: false, accepted: [] }), 'h.json').acceptsDataSafety).toBe(false);
    expect(() => parseAcceptance(JSON.stringify({ profile: 'hardened', acceptsDataSafety: 'no', accepted: [] }), 'h.json')).toThrow('h.json: "acceptsDataSafety" must be true or false (got "no")');
  });

  it('fails on a finding not accepted, or accepted for another scenario only', () => {
    const j = judge('F1', splitBrain(), acceptance([{ finding: 'DOUBLE-vip' }, { scenario: 'F4', finding: 'LEDGER-LOST' }]));
    expect(j.failures).toEqual(['F1: LEDGER-LOST is not accepted in the guide profile: LEDGER-LOST seen']);
    expect(j.unaccepted.map((f) => f.id)).toEqual(['LEDGER-LOST']);
  });

  it('calls an accepted finding that did not show STALE: a failure only where it must reproduce', () => {
    const clean = propertyVerdicts(result(['ledger', true], ['exclusive vip', true], ['availability', true]));
    const warn = judge('F1', clean, acceptance([{ finding: 'DOUBLE-vip', mustReproduce: false }]));
    expect(warn.stale.map((a) => a.finding)).toEqual(['DOUBLE-vip']);
    expect(warn.failures).toEqual([]);
    const fail = judge('F1', clean, acceptance([{ finding: 'DOUBLE-vip', mustReproduce: true }]));
    expect(fail.failures).toEqual(['F1: STALE DOUBLE-vip was accepted as reproducing every run, and did not show']);
  });

  it('accepts a start-state finding listed for every scenario (*), never calling it STALE', () => {
    const restart = propertyVerdicts(result(['ledger', true], ['availability: start state reached without the harness stepping in', false, 'HB-RESTART-1']));
    const wildcard = acceptance([{ scenario: '*', finding: 'HB-RESTART-1', mustReproduce: true }]);
    expect(judge('S1', restart, wildcard)).toMatchObject({ failures: [], stale: [] });
    expect(judge('S2', propertyVerdicts(result(['ledger', true])), wildcard)).toMatchObject({ failures: [], stale: [] });
  });

  it('ignores findings of SAFE properties (e.g. a note on a valid checker)', () => {
    const verdicts = propertyVerdicts(result(['ledger', true, 'LEDGER-NOTE'], ['availability', true]));
    expect(judge('F9', verdicts, acceptance([])).failures).toEqual([]);
  });
});

describe('parseAcceptance', () => {
  const good = { profile: 'guide', accepted: [{ scenario: 'F1', finding: 'DOUBLE-vip', why: 'no fencing in the guide', by: 'ops team', mustReproduce: true }] };

  it('reads a valid file', () => {
    expect(parseAcceptance(JSON.stringify(good), 'acceptance/guide.json')).toEqual({ ...good, acceptsDataSafety: true });
  });

  it('names the file, the entry and the field that is wrong', () => {
    expect(() => parseAcceptance('nope', 'a.json')).toThrow(/^a\.json: not JSON/);
    expect(() => parseAcceptance(JSON.stringify({ accepted: [] }), 'a.json')).toThrow('a.json: "profile" must name the configuration profile');
    expect(() => parseAcceptance(JSON.stringify({ profile: 'guide' }), 'a.json')).toThrow('a.json: "accepted" must be a list');
    expect(() => parseAcceptance(JSON.stringify({ ...good, accepted: [{ ...good.accepted[0], why: ' ' }] }), 'a.json')).toThrow('a.json: accepted[0].why must be a non-empty string (got " ")');
    expect(() => parseAcceptance(JSON.stringify({ ...good, accepted: [{ ...good.accepted[0], mustReproduce: 'yes' }] }), 'a.json')).toThrow('a.json: accepted[0].mustReproduce must be true or false (got "yes")');
    expect(() => parseAcceptance(JSON.stringify({ ...good, accepted: [good.accepted[0], good.accepted[0]] }), 'a.json')).toThrow('a.json: accepted[1]: F1 DOUBLE-vip is listed twice');
  });
});

describe('acceptance, at the edges', () => {
  it('loads a file from disk, and names a file it cannot read', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'halab-acceptance-'));
    writeFileSync(join(dir, 'guide.json'), JSON.stringify({ profile: 'guide', accepted: [] }));
    expect(loadAcceptance(join(dir, 'guide.json'))).toEqual({ profile: 'guide', accepted: [], acceptsDataSafety: true });
    expect(() => loadAcceptance(join(dir, 'absent.json'))).toThrow(`${join(dir, 'absent.json')}: cannot read the accepted findings: ENOENT`);
  });

  it('refuses a profile that is not a string or is empty, and an entry that is not an object', () => {
    expect(() => parseAcceptance(JSON.stringify({ profile: '', accepted: [] }), 'a.json')).toThrow('a.json: "profile" must name');
    expect(() => parseAcceptance(JSON.stringify({ profile: 7, accepted: [] }), 'a.json')).toThrow('a.json: "profile" must name');
    expect(() => parseAcceptance(JSON.stringify({ profile: 'guide', accepted: [null] }), 'a.json')).toThrow('a.json: accepted[0].scenario must be a non-empty string (got undefined)');
  });

  it('anchors each property\'s checker names', () => {
    expect(() => propertyOf('not ledger')).toThrow();
    expect(() => propertyOf('ledger2')).toThrow();
    expect(() => propertyOf('no split brain')).toThrow();
    expect(() => propertyOf('non-exclusive x')).toThrow();
    expect(() => propertyOf('a group order')).toThrow();
    expect(() => propertyOf('low availability')).toThrow();
    expect(() => propertyOf('the service ends on x')).toThrow();
  });

  it('matches reproduced and stale findings by id, exactly', () => {
    const verdicts = propertyVerdicts(result(['ledger', false, 'LEDGER-LOST']));
    const j = judge('F1', verdicts, acceptance([{ finding: 'LEDGER-LOST' }, { finding: 'SPLIT-BRAIN' }]));
    expect(j.reproduced.map((a) => a.finding)).toEqual(['LEDGER-LOST']);
    expect(j.stale.map((a) => a.finding)).toEqual(['SPLIT-BRAIN']);
  });
});

describe('the shipped accepted-findings files', () => {
  it('parse; the hardened profile accepts no data loss and no node that stays down after a power cut', () => {
    const guide = loadAcceptance(new URL('../../../acceptance/guide.json', import.meta.url).pathname);
    const hardened = loadAcceptance(new URL('../../../acceptance/hardened.json', import.meta.url).pathname);
    expect([guide.acceptsDataSafety, hardened.acceptsDataSafety]).toEqual([true, false]);
    expect(hardened.accepted.map((a) => a.finding)).not.toContain('BOOT-NO-REJOIN');
    expect(hardened.accepted.filter((a) => ['LEDGER-LOST', 'SPLIT-BRAIN', 'DRBD-END', 'PRIMARY-INCONSISTENT', 'PROMOTED-NOT-UPTODATE'].includes(a.finding))).toEqual([]);
    // Every hardened entry says which hardened run showed it, not the guide's reasons alone.
    expect(hardened.accepted.filter((a) => !a.seen).map((a) => `${a.scenario} ${a.finding}`)).toEqual([]);
  });
});

describe('timing findings', () => {
  const timing = (seconds: number | undefined) => propertyVerdicts(compose('scenario', [checker('availability: RTO', () => ({
    valid: false, findings: [{ id: 'RTO-OVER-FLOOR', message: 'slow', ...(seconds !== undefined && { seconds }) }], evidence: {},
  }))]).check(build().history));

  it('are accepted only for a named scenario and with a bound', () => {
    const file = (entry: object) => JSON.stringify({ profile: 'guide', accepted: [{ scenario: 'S1', finding: 'RTO-OVER-FLOOR', why: 'w', by: 'b', mustReproduce: false, ...entry }] });
    expect(() => parseAcceptance(file({ scenario: '*', maxSeconds: 40 }), 'g.json')).toThrow('g.json: accepted[0]: RTO-OVER-FLOOR is a timing finding: accept it for a named scenario, with "maxSeconds", not for "*"');
    expect(() => parseAcceptance(file({}), 'g.json')).toThrow('g.json: accepted[0]: RTO-OVER-FLOOR is a timing finding: give "maxSeconds"');
    expect(() => parseAcceptance(file({ maxSeconds: 0 }), 'g.json')).toThrow('g.json: accepted[0].maxSeconds must be a number of seconds above 0 (got 0)');
    expect(() => parseAcceptance(file({ maxSeconds: 40, seen: ' ' }), 'g.json')).toThrow('g.json: accepted[0].seen must say which run showed it');
    expect(parseAcceptance(file({ maxSeconds: 40 }), 'g.json').accepted[0].maxSeconds).toBe(40);
  });

  it('fail beyond the accepted bound, or without seconds to hold against it', () => {
    const bounded = acceptance([{ scenario: 'S1', finding: 'RTO-OVER-FLOOR', maxSeconds: 40 }]);
    expect(judge('S1', timing(40), bounded).failures).toEqual([]);
    expect(judge('S1', timing(100), bounded).failures).toEqual(['S1: RTO-OVER-FLOOR measured 100 s, over the 40 s the guide profile accepts: slow']);
    expect(judge('S1', timing(undefined), bounded).failures).toEqual(['S1: RTO-OVER-FLOOR is accepted up to 40 s, and the finding carries no seconds to hold against it: slow']);
  });

  it("take the scenario's own bound before a start-state entry's", () => {
    const both = acceptance([{ scenario: '*', finding: 'RTO-OVER-FLOOR' }, { scenario: 'S1', finding: 'RTO-OVER-FLOOR', maxSeconds: 40 }]);
    expect(judge('S1', timing(100), both).failures).toHaveLength(1);
  });
});

describe('a profile that accepts no data loss', () => {
  it('refuses UNKNOWN data safety too, even where the finding is listed', () => {
    const strict = { ...acceptance([{ finding: 'LEDGER-UNREAD' }]), profile: 'hardened', acceptsDataSafety: false };
    const unread = propertyVerdicts(result(['ledger', 'unknown', 'LEDGER-UNREAD'], ['availability', true]));
    expect(judge('F1', unread, strict).failures).toEqual(['F1: LEDGER-UNREAD: data safety is UNKNOWN, which the hardened profile never accepts: LEDGER-UNREAD seen']);
    expect(judge('F1', unread, { ...strict, acceptsDataSafety: true }).failures).toEqual([]);
  });
});
