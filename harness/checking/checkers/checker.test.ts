import { describe, expect, it } from 'vitest';
import { build } from '../history/history.fixture.js';
import { checker, compose, describeValidity, mergeValidity, summarize, type Validity } from './checker.js';

const fixed = (name: string, valid: Validity, finding?: string) => checker(name, () => ({ valid, findings: finding ? [{ id: finding, message: `${finding} happened` }] : [], evidence: { name } }));

describe('mergeValidity', () => {
  it('lets invalid beat unknown beat valid', () => {
    expect(mergeValidity([true, true])).toBe(true);
    expect(mergeValidity([true, 'unknown'])).toBe('unknown');
    expect(mergeValidity(['unknown', false, true])).toBe(false);
    expect(mergeValidity([false, 'unknown'])).toBe(false);
    expect(mergeValidity([])).toBe(true);
  });
});

describe('checker', () => {
  it('names its result and passes the history through', () => {
    const history = build().note('x', 1).history;
    const seen = checker('count', (h) => ({ valid: true, findings: [], evidence: { events: h.events().length } })).check(history);
    expect(seen).toEqual({ checker: 'count', valid: true, findings: [], evidence: { events: 1 } });
  });

  it('turns an exception into unknown with the error as its finding, never valid', () => {
    const result = checker('broken', () => { throw new Error('no data'); }).check(build().history);
    expect(result).toEqual({ checker: 'broken', valid: 'unknown', findings: [{ id: 'CHECKER-CRASHED', message: 'broken could not decide: no data' }], evidence: {} });
  });
});

describe('compose', () => {
  it('merges the parts\' validity, unions their findings in order and keeps each part', () => {
    const result = compose('all', [fixed('a', true), fixed('b', 'unknown', 'B'), fixed('c', false, 'C')]).check(build().history);
    expect(result.checker).toBe('all');
    expect(result.valid).toBe(false);
    expect(result.findings.map((f) => f.id)).toEqual(['B', 'C']);
    expect(result.results?.map((r) => [r.checker, r.valid])).toEqual([['a', true], ['b', 'unknown'], ['c', false]]);
    expect(compose('ok', [fixed('a', true), fixed('b', true)]).check(build().history).valid).toBe(true);
    expect(compose('maybe', [fixed('a', true), fixed('b', 'unknown')]).check(build().history).valid).toBe('unknown');
  });

  it('keeps going past a crashing part, which counts as unknown', () => {
    const crashing = checker('x', () => { throw new Error('boom'); });
    const result = compose('all', [crashing, fixed('a', true)]).check(build().history);
    expect(result.valid).toBe('unknown');
    expect(result.results).toHaveLength(2);
  });
});

describe('describeValidity and summarize', () => {
  it('speak the sign-off vocabulary, one line per part with its findings', () => {
    expect([true, false, 'unknown'].map((v) => describeValidity(v as Validity))).toEqual(['SAFE', 'UNSAFE', 'UNKNOWN']);
    const result = compose('all', [fixed('ledger', true), fixed('exclusive vip', false, 'DOUBLE-vip')]).check(build().history);
    expect(summarize(result)).toBe('SAFE    ledger\nUNSAFE  exclusive vip: DOUBLE-vip happened');
    expect(summarize(fixed('alone', 'unknown', 'U').check(build().history))).toBe('UNKNOWN alone: U happened');
  });
});
