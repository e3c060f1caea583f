import { describe, expect, it } from 'vitest';
import { ALL, build } from '../history/history.fixture.js';
import { scenarioChecker } from '../checkers/scenario-checker.js';
import type { ScenarioRun } from '../scenario/scenario.js';
import { parseAcceptance, propertyVerdicts } from './acceptance.js';
import { configSignoffRow, findingsSignoffRow, rejudge, signoffRow } from './signoff-row.js';
import { cell } from './signoff-table.js';
import type { AuditRow } from '../audit/requirements.js';

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

describe('rows judged from findings alone: V0\'s configuration, the audit\'s watch', () => {
  const deviating: AuditRow[] = [
    { id: 'DRBD-AFTER-SB-1PRI', source: 'P7', what: 'net after-sb-1pri', node: 'linux01', expected: 'disconnect', found: 'discard-secondary', ok: false },
    { id: 'DRBD-AFTER-SB-1PRI', source: 'P7', what: 'net after-sb-1pri', node: 'linux02', expected: 'disconnect', found: 'discard-secondary', ok: false },
    { id: 'HB-PING', source: 'H1', what: 'ha.cf ping node', node: 'linux01', expected: '192.168.211.2', found: 'none', ok: false },
    { id: 'HB-DEADTIME', source: 'H1', what: 'ha.cf deadtime', node: 'linux01', expected: '5', found: '5', ok: true },
  ];
  const v0 = (accepted: object[]) => configSignoffRow(deviating, parseAcceptance(JSON.stringify({ profile: 'shop', accepted }), 'a.json'), 'end-of-run', '../config-audit-end-of-run.md');

  it('V0: each deviating requirement a CONFIG finding of its property; the run fails on those not accepted for V0', () => {
    const { row, judgement } = v0([{ scenario: 'V0', finding: 'CONFIG-HB-PING', why: 'one switch', by: 'ops', mustReproduce: true }]);
    expect(row).toMatchObject({ id: 'V0', name: "configuration in force against the guide's requirements (end-of-run)", kind: 'configuration', profile: 'shop', timeline: '../config-audit-end-of-run.md', startedFrom: 'end-of-run' });
    expect(row.verdicts.map((v) => `${v.property} ${v.verdict}`)).toEqual(['data safety UNSAFE', 'exclusive ownership SAFE', 'availability UNSAFE']);
    expect(judgement.failures).toEqual(['V0: CONFIG-DRBD-AFTER-SB-1PRI is not accepted in the shop profile: deviates on linux01, linux02: net after-sb-1pri: the guide\'s "disconnect", found "discard-secondary" (P7)']);
    expect(row.judgement.reproduced).toEqual(['CONFIG-HB-PING']);
    expect(cell(row, 'data safety')).toBe('UNSAFE: CONFIG-DRBD-AFTER-SB-1PRI');
    expect(cell(row, 'availability')).toBe('UNSAFE (accepted): CONFIG-HB-PING');
    expect(cell(row, 'exclusive ownership')).toBe("SAFE: as the guide's requirements");
  });

  it('V0 passes when every deviation is accepted; an accepted one that no longer shows is STALE', () => {
    const { judgement } = v0([
      { scenario: 'V0', finding: 'CONFIG-HB-PING', why: 'w', by: 'b', mustReproduce: false },
      { scenario: 'V0', finding: 'CONFIG-DRBD-AFTER-SB-1PRI', why: 'w', by: 'b', mustReproduce: false },
      { scenario: 'V0', finding: 'CONFIG-HB-DEADTIME', why: 'w', by: 'b', mustReproduce: true },
    ]);
    expect(judgement.failures).toEqual(['V0: STALE CONFIG-HB-DEADTIME was accepted as reproducing every run, and did not show']);
  });

  it('a watch row names what it found, or that it found nothing', () => {
    const verdicts = propertyVerdicts({ checker: 'the cluster as it runs', valid: true, findings: [], evidence: {}, results: [
      { checker: 'exclusive vip', valid: false, findings: [{ id: 'DOUBLE-vip', message: 'two' }], evidence: {} },
      { checker: 'availability: V1, one node serves', valid: true, findings: [], evidence: {} },
    ] });
    const { row } = findingsSignoffRow({ id: 'A1', name: 'watch', kind: 'watch', verdicts, timeline: 't.svg', startedFrom: 'holder linux01' }, acceptance([]));
    expect(cell(row, 'exclusive ownership')).toBe('UNSAFE: DOUBLE-vip');
    expect(cell(row, 'availability')).toBe('SAFE: nothing found');
    expect(row.judgement.failures).toEqual(['A1: DOUBLE-vip is not accepted in the guide profile: two']);
  });
});
