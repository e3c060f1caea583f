import { basename } from 'node:path';
import { availability, rtoBreakdownOf } from '../checkers/availability-checker.js';
import { countLedger } from '../checkers/ledger-checker.js';
import { describePath } from '../checkers/path-checker.js';
import type { ScenarioRun } from '../scenario/scenario.js';
import { judge, type Acceptance, type Judgement, type PropertyVerdict } from './acceptance.js';
import type { SignoffRow } from './signoff-table.js';
import { configVerdicts, type AuditRow } from '../audit/requirements.js';

/** What a row keeps of a judgement: the failures, and the accepted findings that showed or did not, by id. */
export function rowJudgement(judgement: Judgement): SignoffRow['judgement'] {
  return { failures: judgement.failures, reproduced: judgement.reproduced.map((a) => a.finding), stale: judgement.stale.map((a) => a.finding) };
}

/**
 * A scenario's sign-off row, built once: its verdict per property against the profile's
 * accepted findings, the key figures, the path it stated and where it started from. The e2e
 * run writes it beside the scenario's history; `npm run signoff` judges it again with `rejudge`.
 */
export function signoffRow(run: ScenarioRun, verdicts: PropertyVerdict[], acceptance: Acceptance, options: { staleFails?: boolean } = {}): { row: SignoffRow; judgement: Judgement } {
  const judgement = judge(run.id, verdicts, acceptance, options);
  const figures = availability(run.history);
  const { counts, finalRead } = countLedger(run.history);
  const row: SignoffRow = {
    id: run.id, name: run.name, profile: acceptance.profile, verdicts,
    figures: {
      writesLost: finalRead ? counts.lost.length : undefined, writesAcknowledged: counts.acknowledged, rtoSeconds: figures.rtoSeconds,
      longestOutageSeconds: figures.longestOutageSeconds, splitBrain: verdicts.some((v) => v.findings.some((f) => f.id === 'SPLIT-BRAIN')),
      rtoBreakdown: rtoBreakdownOf(run.verdict), outageBudgetSeconds: run.path.outageBudgetSeconds,
    },
    path: describePath(run.path),
    judgement: rowJudgement(judgement),
    timeline: `scenarios/${basename(run.directory)}/timeline.svg`,
    startedFrom: `${run.start.from} (${run.start.seconds.toFixed(1)} s)`,
    error: run.error?.message.split('\n')[0],
  };
  return { row, judgement };
}

/** A row written by an earlier run, judged again against an acceptance file the operator edited since. */
export function rejudge(row: SignoffRow, acceptance: Acceptance): SignoffRow {
  return { ...row, judgement: rowJudgement(judge(row.id, row.verdicts, acceptance)) };
}

/**
 * A row judged from verdicts alone, without a scenario's ledger or RTO: V0's configuration, an
 * audit's watch. Its cells name the findings.
 */
export function findingsSignoffRow(parts: { id: string; name: string; kind: 'configuration' | 'watch'; verdicts: PropertyVerdict[]; timeline: string; startedFrom: string }, acceptance: Acceptance): { row: SignoffRow; judgement: Judgement } {
  const judgement = judge(parts.id, parts.verdicts, acceptance);
  const row: SignoffRow = {
    id: parts.id, name: parts.name, profile: acceptance.profile, verdicts: parts.verdicts, kind: parts.kind,
    figures: { writesAcknowledged: 0, longestOutageSeconds: 0, splitBrain: false },
    judgement: rowJudgement(judgement),
    timeline: parts.timeline,
    startedFrom: parts.startedFrom,
  };
  return { row, judgement };
}

/**
 * V0's sign-off row: the configuration in force against the guide's requirements table, each
 * deviation a named finding (CONFIG-<row>) the operator fixes or accepts for scenario V0.
 */
export function configSignoffRow(rows: readonly AuditRow[], acceptance: Acceptance, when: string, reportFile: string): { row: SignoffRow; judgement: Judgement } {
  return findingsSignoffRow({ id: 'V0', name: `configuration in force against the guide's requirements (${when})`, kind: 'configuration', verdicts: configVerdicts(rows), timeline: reportFile, startedFrom: when }, acceptance);
}
