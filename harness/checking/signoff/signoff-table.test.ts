import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { markdownCell, readSignoffRows, renderSignoffMarkdown, renderSignoffText, type SignoffRow } from './signoff-table.js';

const row = (id: string, overrides: Partial<SignoffRow> = {}): SignoffRow => ({
  id, name: `scenario ${id}`, profile: 'guide',
  verdicts: [
    { property: 'data safety', verdict: 'SAFE', findings: [] },
    { property: 'exclusive ownership', verdict: 'SAFE', findings: [] },
    { property: 'availability', verdict: 'SAFE', findings: [] },
  ],
  figures: { writesLost: 0, writesAcknowledged: 100, rtoSeconds: 39.4, longestOutageSeconds: 38, splitBrain: false },
  judgement: { failures: [], reproduced: [], stale: [] },
  timeline: `scenarios/${id}/timeline.svg`, startedFrom: 'snapshot (12.0 s)',
  ...overrides,
});

const split = row('F1', {
  verdicts: [
    { property: 'data safety', verdict: 'UNSAFE', findings: [{ id: 'LEDGER-LOST', message: 'm' }, { id: 'SPLIT-BRAIN', message: 'm' }] },
    { property: 'exclusive ownership', verdict: 'UNSAFE', findings: [{ id: 'DOUBLE-vip', message: 'm' }] },
    { property: 'availability', verdict: 'SAFE', findings: [] },
  ],
  figures: { writesLost: 350, writesAcknowledged: 900, rtoSeconds: undefined, longestOutageSeconds: 3, splitBrain: true },
  judgement: { failures: [], reproduced: ['LEDGER-LOST', 'SPLIT-BRAIN'], stale: ['DOUBLE-mysqld'] },
});

describe('sign-off table', () => {
  it('renders scenario × property with the key figures, ACCEPTED findings, the outcome and the timeline link', () => {
    const s1 = row('S1', { figures: { ...row('S1').figures, rtoBreakdown: 'linux02: detect 6 s, clients 3 s (RTO 39 s, floor 30 s)', outageBudgetSeconds: 150 }, path: 'failover to linux02, outage ≤ 150 s' });
    const md = renderSignoffMarkdown([s1, split, row('F9', { judgement: { failures: ['F9: X is not accepted'], reproduced: [], stale: [] } })], { date: '2026-11-27', commit: 'abc1234' });
    expect(md.split('\n')).toEqual([
      '# ha-lab sign-off (guide profile), 2026-11-27, commit abc1234',
      '',
      '| scenario | path stated | data safety | exclusive ownership | availability | outcome | RTO breakdown | timeline |',
      '|---|---|---|---|---|---|---|---|',
      '| S1 scenario S1 | failover to linux02, outage ≤ 150 s | SAFE: 0 lost | SAFE: one holder | SAFE: RTO 39 s, longest gap 38 s of 150 s budget | passed | linux02: detect 6 s, clients 3 s (RTO 39 s, floor 30 s) | [timeline](scenarios/S1/timeline.svg) |',
      '| F1 scenario F1 | — | UNSAFE (accepted): 350 lost, split brain | UNSAFE: DOUBLE-vip | SAFE: RTO none, longest gap 3 s | passed; STALE (warning): DOUBLE-mysqld | — | [timeline](scenarios/F1/timeline.svg) |',
      '| F9 scenario F9 | — | SAFE: 0 lost | SAFE: one holder | SAFE: RTO 39 s, longest gap 38 s | FAILED: F9: X is not accepted | — | [timeline](scenarios/F9/timeline.svg) |',
      '',
    ]);
  });

  it('prints one line per scenario for the terminal, FAILED at the end where it failed', () => {
    const unread = { ...row('S2').figures, writesLost: undefined };
    const text = renderSignoffText([row('S1'), row('S2', { error: 'boom', figures: unread })]).split('\n');
    expect(text).toHaveLength(3);
    expect(text[1]).toContain('SAFE: ledger unread');
    expect(text[0]).toContain('SAFE: 0 lost');
    expect(text[0].endsWith('FAILED')).toBe(false);
    expect(text[1].endsWith(' FAILED')).toBe(true);
    expect(text[2]).toBe('      why: stopped before its end: boom');
  });

  it('says under a row that failed its judgement why, one line per reason, each cut to 400 characters', () => {
    const failures = ['S3: GROUP-ORDER is not accepted in the guide profile: 2 observation(s)\nsecond line', `S3: STALE X ${'y'.repeat(500)}`];
    const text = renderSignoffText([row('S3', { judgement: { failures, reproduced: [], stale: [] } })]).split('\n');
    expect(text).toHaveLength(3);
    expect(text[0].endsWith(' FAILED')).toBe(true);
    expect(text[1]).toBe('      why: S3: GROUP-ORDER is not accepted in the guide profile: 2 observation(s)');
    expect(text[2]).toHaveLength('      why: '.length + 400);
  });

  it('reads the rows the scenarios left, in catalogue order', () => {
    const dir = mkdtempSync(join(tmpdir(), 'halab-signoff-'));
    for (const id of ['F10', 'F2', 'S1']) {
      mkdirSync(join(dir, id));
      writeFileSync(join(dir, id, 'signoff.json'), JSON.stringify(row(id)));
    }
    mkdirSync(join(dir, 'unfinished'));
    expect(readSignoffRows(dir).map((r) => r.id)).toEqual(['F2', 'F10', 'S1']);
    expect(readSignoffRows(join(dir, 'absent'))).toEqual([]);
  });

  it('records what changes what the verdicts mean above the table', () => {
    const md = renderSignoffMarkdown([], { date: '2026-12-02', commit: 'abc1234-dirty', facts: { accelerator: 'tcg: no /dev/kvm', acceptance: 'acceptance/guide.json sha256 0123' } });
    expect(md.split('\n').slice(0, 5)).toEqual(['# ha-lab sign-off (no profile), 2026-12-02, commit abc1234-dirty', '', '- accelerator: tcg: no /dev/kvm', '- acceptance: acceptance/guide.json sha256 0123', '']);
  });

  it('keeps a cell one cell: a | escaped, a backslash kept, a line break a space', () => {
    expect(markdownCell('a\\b|c\n  d')).toBe('a\\\\b\\|c d');
  });
});

