import { describe, expect, it } from 'vitest';
import { ALL, build } from '../history/history.fixture.js';
import { scenarioChecker } from '../checkers/scenario-checker.js';
import type { ScenarioRun } from '../scenario/scenario.js';
import { parseAcceptance, propertyVerdicts } from './acceptance.js';
import { rejudge, signoffRow } from './signoff-row.js';

const path = { failover: 'linux02', drbd: 'no-divergence', outageBudgetSeconds: 150, stepBudgetSeconds: 60 } as const;

/** A failover whose writes 2-3 failed and that came back at 40 s; the final read lost write 2 (acknowledged). */
function run(error?: Error): ScenarioRun {
  const history = build().observe('linux01', 0, ALL, { drbd: 'cs:Connected ro:Primary/Secondary ds:UpToDate/UpToDate' }).observe('linux02', 0, [])
    .fault('power-cut', 5000, 60_000).write(1, 1000, 'ok').write(2, 6000, 'ok').write(3, 7000, 'fail').write(4, 40_000, 'ok').read([1, 4], 90_000).history;
  const verdict = scenarioChecker({ endsOn: 'linux01', datadir: '/data/mysql', deadtimeSeconds: 5, path }).check(history);
  return {
    id: 'S3', name: 'fault: power cut', history, verdict, interventions: [], handovers: [], path,
    start: { from: 'snapshot', seconds: 12.34, note: 'reverted', interventions: [] },
    directory: '/reports/scenarios/s3-fault-power-cut', ...(error && { error }),
  };
}

const acceptance = (accepted: object[]) => parseAcceptance(JSON.stringify({ profile: 'guide', accepted }), 'a.json');
const entry = (finding: string) => ({ scenario: 'S3', finding, why: 'w', by: 'b', mustReproduce: false });

describe('the sign-off row', () => {
  it('holds the verdicts, the key figures, the path, the judgement and where the run started', () => {
    const r = run();
    const { row, judgement } = signoffRow(r, propertyVerdicts(r.verdict), acceptance([]));
    expect(row).toMatchObject({
      id: 'S3', name: 'fault: power cut', profile: 'guide',
      figures: { writesLost: 1, writesAcknowledged: 3, rtoSeconds: 35, splitBrain: false, outageBudgetSeconds: 150 },
      path: 'failover to linux02, DRBD no-divergence, outage ≤ 150 s, each takeover step ≤ 60 s',
      timeline: 'scenarios/s3-fault-power-cut/timeline.svg', startedFrom: 'snapshot (12.3 s)',
    });
    expect(row.figures.longestOutageSeconds).toBeGreaterThan(30);
    expect(row.verdicts.find((v) => v.property === 'data safety')?.verdict).toBe('UNSAFE');
    expect(judgement.failures.some((f) => f.startsWith('S3: LEDGER-LOST'))).toBe(true);
    expect(row.judgement.failures).toEqual(judgement.failures);
    expect(row.error).toBeUndefined();
    expect(signoffRow(run(new Error('during the heal: SSH refused\nstack')), [], acceptance([])).row.error).toBe('during the heal: SSH refused');
  });

  it('is judged again against an edited acceptance file, the row\'s figures unchanged', () => {
    const r = run();
    const { row } = signoffRow(r, propertyVerdicts(r.verdict), acceptance([]));
    const ids = [...new Set(row.verdicts.filter((v) => v.verdict !== 'SAFE').flatMap((v) => v.findings.map((f) => f.id)))];
    const accepted = rejudge(row, acceptance([...ids.map(entry), { ...entry('SPLIT-BRAIN'), mustReproduce: true }]));
    expect(accepted.judgement).toEqual({ failures: ['S3: STALE SPLIT-BRAIN was accepted as reproducing every run, and did not show'], reproduced: ids, stale: ['SPLIT-BRAIN'] });
    expect(accepted.figures).toEqual(row.figures);
  });
});
