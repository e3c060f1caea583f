import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readProfileResults, renderSideBySide, tradeOff, writeProfileResult, type ProfileResult } from './side-by-side.js';
import type { SignoffRow } from './signoff-table.js';

type V = 'SAFE' | 'UNSAFE' | 'UNKNOWN';
const row = (id: string, profile: string, data: V, availability: V, figures: Partial<SignoffRow['figures']> = {}, ids: string[] = []): SignoffRow => ({
  id, name: `fault ${id}`, profile,
  verdicts: [
    { property: 'data safety', verdict: data, findings: data === 'SAFE' ? [] : ids.filter((f) => f.startsWith('LEDGER') || f === 'SPLIT-BRAIN').map((f) => ({ id: f, message: f })) },
    { property: 'exclusive ownership', verdict: 'SAFE', findings: [] },
    { property: 'availability', verdict: availability, findings: availability === 'SAFE' ? [] : ids.filter((f) => f.startsWith('SERVICE')).map((f) => ({ id: f, message: f })) },
  ],
  figures: { writesLost: 0, writesAcknowledged: 100, rtoSeconds: 20, longestOutageSeconds: 20, splitBrain: false, ...figures },
  judgement: { failures: [], reproduced: ids, stale: [] }, timeline: `scenarios/${id}/timeline.svg`, startedFrom: 'snapshot',
});
const guide: ProfileResult = { profile: 'guide', date: '2026-11-28', commit: 'aaa1111', rows: [row('F4', 'guide', 'UNSAFE', 'SAFE', { writesLost: 93 }, ['LEDGER-LOST']), row('F1', 'guide', 'UNSAFE', 'SAFE', { splitBrain: true }, ['SPLIT-BRAIN'])] };
const hardened: ProfileResult = { profile: 'hardened', date: '2026-11-28', commit: 'bbb2222', rows: [row('F4', 'hardened', 'SAFE', 'UNSAFE', { rtoSeconds: undefined, longestOutageSeconds: 140 }, ['SERVICE-LOST'])] };

describe('side by side', () => {
  it('puts each property of each profile in its own column, with the key figure, and says where the profiles differ', () => {
    const lines = renderSideBySide([guide, hardened]).split('\n');
    expect(lines).toContain('- guide: measured 2026-11-28, commit aaa1111 (F1 F4)');
    expect(lines).toContain('| scenario | data safety: guide | data safety: hardened | exclusive ownership: guide | exclusive ownership: hardened | availability: guide | availability: hardened | where they differ |');
    expect(lines).toContain('| F4 fault F4 | UNSAFE (accepted): 93 lost | SAFE: 0 lost | SAFE: one holder | SAFE: one holder | SAFE: RTO 20 s, longest gap 20 s | UNSAFE (accepted): RTO none, longest gap 140 s | hardened trades availability (SERVICE-LOST) for data safety |');
    // F1 was not run with the hardened profile: said, not inferred.
    expect(lines).toContain('| F1 fault F1 | UNSAFE (accepted): 0 lost, split brain | not run | SAFE: one holder | not run | SAFE: RTO 20 s, longest gap 20 s | not run |  |');
    expect(lines.findIndex((l) => l.startsWith('| F1'))).toBeLessThan(lines.findIndex((l) => l.startsWith('| F4')));
  });

  it('shows a repeated scenario\'s runs in one row, judged by its worst', () => {
    const reps = { ...guide, rows: [row('D1', 'guide', 'SAFE', 'SAFE'), row('D1', 'guide', 'UNSAFE', 'SAFE', { writesLost: 2 }, ['LEDGER-LOST'])].map((r, i) => ({ ...r, name: `burst ${i + 1} of 2` })) };
    const line = renderSideBySide([reps, { ...hardened, rows: [{ ...row('D1', 'hardened', 'SAFE', 'SAFE'), name: 'burst 1 of 1' }] }]).split('\n').find((l) => l.startsWith('| D1'));
    expect(line).toBe('| D1 burst | 2 runs: SAFE: 0 lost; UNSAFE (accepted): 2 lost | SAFE: 0 lost | 2 runs: SAFE: one holder | SAFE: one holder | 2 runs: SAFE: RTO 20 s, longest gap 20 s | SAFE: RTO 20 s, longest gap 20 s | hardened is better on data safety |');
  });

  it('names a profile doing worse, or better, or the same', () => {
    const [g] = guide.rows;
    expect(tradeOff(g, row('F4', 'hardened', 'UNSAFE', 'UNSAFE', {}, ['LEDGER-LOST', 'SERVICE-LOST']), 'hardened')).toBe('hardened is worse on availability (SERVICE-LOST)');
    expect(tradeOff(g, row('F4', 'hardened', 'SAFE', 'SAFE'), 'hardened')).toBe('hardened is better on data safety');
    expect(tradeOff(g, g, 'hardened')).toBe('the same verdicts');
  });

  it('keeps each profile\'s latest row per scenario, with the run that measured it, the guide\'s first', () => {
    const dir = mkdtempSync(join(tmpdir(), 'halab-profiles-'));
    writeProfileResult(dir, hardened);
    writeProfileResult(dir, guide);
    // A later run of F1 alone replaces F1's row and keeps F4's, measured earlier.
    writeProfileResult(dir, { ...guide, date: '2026-11-29', commit: 'ccc3333', rows: [guide.rows[1]] });
    const results = readProfileResults(dir);
    expect(results.map((r) => r.profile)).toEqual(['guide', 'hardened']);
    expect(results[0].rows.map((r) => [r.id, r.measured?.commit])).toEqual([['F1', 'ccc3333'], ['F4', 'aaa1111']]);
    expect(renderSideBySide(results).split('\n')).toContain('- guide: measured 2026-11-29, commit ccc3333 (F1); 2026-11-28, commit aaa1111 (F4)');
    expect(readProfileResults(join(dir, 'none'))).toEqual([]);
  });

  it('ranks SAFE under UNKNOWN under UNSAFE, and names what a profile trades', () => {
    const [g] = guide.rows;
    const unknown = { ...row('F4', 'hardened', 'SAFE', 'SAFE'), verdicts: g.verdicts.map((v) => ({ ...v, verdict: 'UNKNOWN' as const, findings: [{ id: `${v.property}-UNSEEN`, message: '' }] })) };
    // UNSAFE -> UNKNOWN is better; SAFE -> UNKNOWN is worse, with the findings that say why.
    expect(tradeOff(g, unknown, 'hardened')).toBe('hardened trades exclusive ownership, availability (exclusive ownership-UNSEEN; availability-UNSEEN) for data safety');
    expect(tradeOff(row('F4', 'guide', 'SAFE', 'SAFE'), row('F4', 'hardened', 'SAFE', 'UNKNOWN'), 'hardened')).toBe('hardened is worse on availability ()');
    expect(tradeOff(row('F4', 'guide', 'SAFE', 'UNKNOWN'), row('F4', 'hardened', 'SAFE', 'UNSAFE', {}, ['SERVICE-LOST']), 'hardened')).toBe('hardened is worse on availability (SERVICE-LOST)');
    expect(tradeOff(row('F4', 'guide', 'SAFE', 'UNSAFE'), row('F4', 'hardened', 'SAFE', 'UNKNOWN'), 'x')).toBe('x is better on availability');
    expect(tradeOff(undefined, g, 'hardened')).toBe('');
    expect(tradeOff(g, undefined, 'hardened')).toBe('');
  });

  it('judges a repeated scenario by the worst of its runs whatever their order', () => {
    const hard = { ...hardened, rows: [row('D1', 'hardened', 'SAFE', 'SAFE')] };
    for (const order of [[0, 1, 2], [2, 1, 0], [1, 2, 0]]) {
      const runs = [row('D1', 'guide', 'SAFE', 'SAFE'), row('D1', 'guide', 'UNKNOWN', 'SAFE'), row('D1', 'guide', 'UNSAFE', 'SAFE', {}, ['LEDGER-LOST'])];
      const reps = { ...guide, rows: order.map((i) => ({ ...runs[i], name: `burst ${i + 1} of 3` })) };
      expect(renderSideBySide([reps, hard]).split('\n').find((l) => l.startsWith('| D1'))).toMatch(/\| hardened is better on data safety \|$/);
    }
  });

  it('renders one profile alone with an empty comparison column, and nothing without results', () => {
    expect(renderSideBySide([])).toBe('');
    const lines = renderSideBySide([{ ...guide, rows: [{ ...guide.rows[1], name: 'fault 10 of 12' }] }]).split('\n');
    expect(lines.slice(0, 6)).toEqual([
      '## Side by side: the same faults against each profile',
      '',
      '- guide: measured 2026-11-28, commit aaa1111 (F1)',
      '',
      '| scenario | data safety: guide | exclusive ownership: guide | availability: guide |  |',
      '|---|---|---|---|---|',
    ]);
    expect(lines[6]).toBe('| F1 fault | UNSAFE (accepted): 0 lost, split brain | SAFE: one holder | SAFE: RTO 20 s, longest gap 20 s |  |');
    // A scenario no profile named keeps an empty name.
    expect(renderSideBySide([{ ...guide, rows: [{ ...guide.rows[1], name: '' }] }]).split('\n')[6]).toMatch(/^\| F1  \|/);
  });

  it('puts the guide first and the other profiles by name, reading only the profiles\' files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'halab-profiles-'));
    for (const profile of ['zeta', 'hardened', 'guide', 'alpha']) writeProfileResult(dir, { ...hardened, profile });
    writeFileSync(join(dir, 'notes.txt'), 'not a profile');
    expect(readProfileResults(dir).map((r) => r.profile)).toEqual(['guide', 'alpha', 'hardened', 'zeta']);
    // A row kept from a file written before rows carried their run takes the file's run.
    writeFileSync(join(dir, 'guide.json'), JSON.stringify({ ...guide, rows: [guide.rows[0]] }));
    writeProfileResult(dir, { ...guide, date: '2026-11-30', commit: 'ddd4444', rows: [guide.rows[1]] });
    const [written] = readProfileResults(dir);
    expect(written.rows.map((r) => [r.id, r.measured])).toEqual([['F1', { date: '2026-11-30', commit: 'ddd4444' }], ['F4', { date: '2026-11-28', commit: 'aaa1111' }]]);
    expect(written.rows.length).toBe(2);
  });
});
