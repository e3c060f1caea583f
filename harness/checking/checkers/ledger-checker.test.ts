import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { build } from '../history/history.fixture.js';
import { countLedger, durabilityAtCut, ledgerChecker, readYourWritesChecker } from './ledger-checker.js';

const check = (b: ReturnType<typeof build>) => ledgerChecker().check(b.history);

describe('ledger checker (Jepsen\'s set checker)', () => {
  it('is valid when every acknowledged write survived', () => {
    const result = check(build().write(1, 0, 'ok').write(2, 10, 'fail').write(3, 20, 'ok').read([1, 3], 100));
    expect(result.valid).toBe(true);
    expect(result.findings).toEqual([]);
    expect(result.evidence).toEqual({ attempted: 3, acknowledged: 2, failed: 1, unknown: 0, lost: [], unexpected: [], recovered: [], lostByNode: {} });
  });

  it('names an acknowledged write missing from the final read as lost', () => {
    const result = check(build().write(1, 0, 'ok').write(2, 10, 'ok').read([1], 100));
    expect(result.valid).toBe(false);
    expect(result.findings).toEqual([{ id: 'LEDGER-LOST', message: '1 acknowledged write(s) missing after the heal (1 acknowledged by unknown node)', evidence: { 'unknown node': [2] } }]);
    expect(result.evidence).toMatchObject({ lost: [2] });
  });

  it('says which node acknowledged each lost write (the split brain\'s victim)', () => {
    const result = check(build().write(1, 0, 'ok', 10, 'writer-1', 'linux01').write(2, 10, 'ok', 10, 'writer-2', 'linux02')
      .write(3, 20, 'ok', 10, 'writer-2', 'linux02').write(4, 30, 'ok', 10, 'writer-1', 'linux01').read([1], 100));
    expect(result.findings[0].message).toBe('3 acknowledged write(s) missing after the heal (1 acknowledged by linux01, 2 acknowledged by linux02)');
    expect(result.findings[0].evidence).toEqual({ linux01: [4], linux02: [2, 3] });
  });

  it('names rows nobody attempted, and rows of refused writes, as unexpected', () => {
    const result = check(build().write(1, 0, 'ok').write(2, 10, 'fail').read([99, 1, 2], 100));
    expect(result.valid).toBe(false);
    expect(result.findings).toEqual([{ id: 'LEDGER-UNEXPECTED', message: '2 row(s) present that were never written or were refused', evidence: [2, 99] }]);
  });

  it('counts unknown outcomes (info, or never answered) that survived as recovered, and those that did not as no loss', () => {
    const result = check(build().write(1, 0, 'info').write(2, 10, 'info').write(3, 20, 'ok').write(4, 30, 'pending', 0, 'writer-2').read([1, 3, 4], 100));
    expect(result.valid).toBe(true);
    expect(result.evidence).toMatchObject({ unknown: 3, recovered: [1, 4], lost: [] });
  });

  it('cannot decide without a final read, or when nothing was acknowledged', () => {
    const unread = check(build().write(1, 0, 'ok'));
    expect(unread.valid).toBe('unknown');
    expect(unread.findings[0].id).toBe('LEDGER-UNREAD');
    // Unread is not "all lost": the sign-off must not print a loss nobody saw.
    expect(unread.evidence).toMatchObject({ acknowledged: 1, lost: [], lostByNode: {} });
    const empty = check(build().write(1, 0, 'fail').read([], 10));
    expect(empty.valid).toBe('unknown');
    expect(empty.findings.map((f) => f.id)).toEqual(['LEDGER-EMPTY']);
  });

  it('uses the last successful final read', () => {
    const b = build().write(1, 0, 'ok').read([], 10).read([1], 20);
    expect(check(b).valid).toBe(true);
    expect(countLedger(b.history).finalRead).toEqual([1]);
  });

  it('still reports a loss when nothing else was acknowledged', () => {
    const result = check(build().write(1, 0, 'ok').read([], 10));
    expect(result.valid).toBe(false);
  });
});

/** Any history of writes with any outcome and any final read: the verdict is exactly the set rules. */
describe('ledger checker properties', () => {
  const outcomes = fc.constantFrom('ok' as const, 'fail' as const, 'info' as const, 'pending' as const);
  const scenario = fc.record({
    writes: fc.array(outcomes, { minLength: 1, maxLength: 40 }),
    kept: fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }),
    strangers: fc.uniqueArray(fc.integer({ min: 1000, max: 2000 }), { maxLength: 3 }),
  });

  it('lost = acknowledged − read, unexpected = read − attempted-and-not-refused, recovered = unknown ∩ read', () => {
    fc.assert(fc.property(scenario, ({ writes, kept, strangers }) => {
      const b = build();
      writes.forEach((outcome, i) => b.write(i + 1, i * 10, outcome, 5, `writer-${(i % 3) + 1}`));
      const read = [...writes.map((_, i) => i + 1).filter((id) => kept[id - 1]), ...strangers];
      b.read(read, 10_000);
      const { counts } = countLedger(b.history);
      const ids = (pred: (o: string) => boolean) => writes.map((o, i) => [o, i + 1] as const).filter(([o]) => pred(o)).map(([, id]) => id);
      expect(counts.lost).toEqual(ids((o) => o === 'ok').filter((id) => !kept[id - 1]));
      expect(counts.unexpected).toEqual([...ids((o) => o === 'fail').filter((id) => kept[id - 1]), ...strangers].sort((a, b2) => a - b2));
      expect(counts.recovered).toEqual(ids((o) => o === 'info' || o === 'pending').filter((id) => kept[id - 1]));
      expect(counts.attempted).toBe(writes.length);
      expect(counts.acknowledged + counts.failed + counts.unknown).toBe(writes.length);
      const verdict = ledgerChecker().check(b.history).valid;
      if (counts.lost.length || counts.unexpected.length) expect(verdict).toBe(false);
      else expect(verdict).toBe(counts.acknowledged > 0 ? true : 'unknown');
    }));
  });
});

describe('read-your-writes checker', () => {
  const ryw = (b: ReturnType<typeof build>) => readYourWritesChecker().check(b.history);

  it('is valid when every writer saw its own acknowledged row', () => {
    const result = ryw(build().write(1, 0, 'ok').readOwn(1, 12, true).write(2, 20, 'ok', 10, 'writer-2').readOwn(2, 32, true, 'writer-2'));
    expect(result).toMatchObject({ valid: true, findings: [], evidence: { reads: 2, missing: 0 } });
  });

  it('names a row its writer could not read right after the commit, and the server', () => {
    const result = ryw(build().write(1, 0, 'ok').readOwn(1, 12, true).write(2, 20, 'ok').readOwn(2, 32, false, 'writer-1', 'linux02'));
    expect(result.valid).toBe(false);
    expect(result.findings).toEqual([{ id: 'RYW-MISSING', message: '1 acknowledged write(s) missing when their writer read them back at once (linux02)', evidence: [2] }]);
  });

  it('cannot decide without any read-back', () => {
    const result = ryw(build().write(1, 0, 'ok'));
    expect(result.valid).toBe('unknown');
    expect(result.findings.map((f) => f.id)).toEqual(['RYW-UNREAD']);
  });
});

describe('durabilityAtCut', () => {
  const CUT = 'burst: power cut';
  it('counts the writes acknowledged in the last second before the cut and how many the final read found', () => {
    const h = build().write(1, 100, 'ok', 10, 'writer-1').write(2, 3900, 'ok', 10, 'writer-2').write(3, 4800, 'ok', 10, 'writer-3')
      .write(4, 4985, 'ok', 10, 'writer-4').write(5, 4985, 'ok', 10, 'writer-5').write(6, 4990, 'info', 500, 'writer-6').note(`${CUT} of linux01, 3.20 s into the burst`, 5000).read([1, 2, 3, 5], 60_000).history;
    // Acknowledged at 110 and 3910: before the last second; 4810, 4995, 4995: in it; 6 never acknowledged.
    expect(durabilityAtCut(h, CUT)).toEqual({ cutAt: 5000, acknowledged: 3, survived: 2, lost: [4] });
    expect(durabilityAtCut(h, CUT, 2000)).toEqual({ cutAt: 5000, acknowledged: 4, survived: 3, lost: [4] });
  });

  it('says nothing without the cut\'s note or without a final read', () => {
    expect(durabilityAtCut(build().write(1, 100, 'ok').read([1], 900).history, CUT)).toBeUndefined();
    expect(durabilityAtCut(build().write(1, 100, 'ok').note(CUT, 500).history, CUT)).toBeUndefined();
  });
});
