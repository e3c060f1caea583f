import { readFileSync } from 'node:fs';
import type { CheckResult, Finding } from '../checkers/checker.js';
import { acceptanceSchema, parseShape } from '../../config/schemas.js';

/**
 * The sign-off's three properties. Each checker speaks for one of them; a property's verdict
 * is the merge of its checkers'.
 */
export const PROPERTIES = ['data safety', 'exclusive ownership', 'availability'] as const;
export type Property = (typeof PROPERTIES)[number];

const PROPERTY_OF: [RegExp, Property][] = [
  [/^ledger(:|$)|^DRBD |^split brain|^data safety/, 'data safety'],
  [/^exclusive |^group order/, 'exclusive ownership'],
  [/^availability|^service ends on /, 'availability'],
];

export function propertyOf(checker: string): Property {
  const found = PROPERTY_OF.find(([pattern]) => pattern.test(checker));
  if (!found) throw new Error(`checker "${checker}" belongs to no sign-off property`);
  return found[1];
}

/** One finding the operator accepts for one scenario: the guide's design implies it. */
export interface AcceptedFinding {
  /** A scenario id, or `*` for a finding of the start state that any scenario may meet (never STALE). */
  scenario: string;
  finding: string;
  why: string;
  by: string;
  /** The finding must show every run; otherwise its absence is only a warning (timing-dependent outcomes). */
  mustReproduce: boolean;
  /** A timing finding's bound: accepted up to this many seconds (its figure), a failure beyond. Required for TIMING_FINDINGS. */
  maxSeconds?: number;
  /** Which run showed it (date, commit, figures): the evidence behind accepting it. */
  seen?: string;
}

/**
 * Findings about time, not safety: accepted only for a named scenario and up to a bound, so that
 * "accepted, 40 s over the floor" still fails at 100 s.
 */
export const TIMING_FINDINGS = ['RTO-OVER-FLOOR', 'RTO-FLOOR-UNSEEN', 'OUTAGE-OVER-BUDGET', 'TAKEOVER-STEP-OVER-BUDGET'];

export interface Acceptance {
  profile: string;
  accepted: AcceptedFinding[];
  /**
   * false: an UNSAFE or UNKNOWN data-safety verdict fails the run whatever `accepted` says (a
   * hardened profile's promise: no loss, and no run that could not look); the guide's file accepts
   * the data losses its design implies.
   */
  acceptsDataSafety: boolean;
}

/** Reads an accepted-findings file, refusing any entry that lacks a field, with the file and entry named. */
export function parseAcceptance(text: string, file: string): Acceptance {
  let raw: { profile?: unknown; accepted?: unknown; acceptsDataSafety?: unknown };
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file}: not JSON: ${(error as Error).message}`);
  }
  if (typeof raw.profile !== 'string' || !raw.profile) throw new Error(`${file}: "profile" must name the configuration profile, e.g. "guide"`);
  if (!Array.isArray(raw.accepted)) throw new Error(`${file}: "accepted" must be a list of { scenario, finding, why, by, mustReproduce }`);
  const seen = new Set<string>();
  const accepted = raw.accepted.map((entry: Record<string, unknown>, i: number) => {
    const where = `${file}: accepted[${i}]`;
    for (const field of ['scenario', 'finding', 'why', 'by'] as const) {
      if (typeof entry?.[field] !== 'string' || !(entry[field] as string).trim()) throw new Error(`${where}.${field} must be a non-empty string (got ${JSON.stringify(entry?.[field])})`);
    }
    if (typeof entry.mustReproduce !== 'boolean') throw new Error(`${where}.mustReproduce must be true or false (got ${JSON.stringify(entry.mustReproduce)})`);
    if (entry.maxSeconds !== undefined && (typeof entry.maxSeconds !== 'number' || !(entry.maxSeconds > 0))) throw new Error(`${where}.maxSeconds must be a number of seconds above 0 (got ${JSON.stringify(entry.maxSeconds)})`);
    if (entry.seen !== undefined && (typeof entry.seen !== 'string' || !entry.seen.trim())) throw new Error(`${where}.seen must say which run showed it (got ${JSON.stringify(entry.seen)})`);
    if (TIMING_FINDINGS.includes(entry.finding as string)) {
      if (entry.scenario === '*') throw new Error(`${where}: ${entry.finding} is a timing finding: accept it for a named scenario, with "maxSeconds", not for "*"`);
      if (entry.maxSeconds === undefined) throw new Error(`${where}: ${entry.finding} is a timing finding: give "maxSeconds", the most it may measure and still be accepted`);
    }
    const key = `${entry.scenario} ${entry.finding}`;
    if (seen.has(key)) throw new Error(`${where}: ${key} is listed twice`);
    seen.add(key);
    return entry as unknown as AcceptedFinding;
  });
  if (raw.acceptsDataSafety !== undefined && typeof raw.acceptsDataSafety !== 'boolean') throw new Error(`${file}: "acceptsDataSafety" must be true or false (got ${JSON.stringify(raw.acceptsDataSafety)})`);
  // The checks above say what each field must be; the schema then refuses a key that is no field at all (a misspelt `maxSecond` would accept without a bound).
  parseShape(acceptanceSchema, raw, file);
  const acceptsDataSafety = raw.acceptsDataSafety !== false;
  return { profile: raw.profile, accepted, acceptsDataSafety };
}


export function loadAcceptance(file: string): Acceptance {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`${file}: cannot read the accepted findings: ${(error as Error).message}`);
  }
  return parseAcceptance(text, file);
}

export type Verdict = 'SAFE' | 'UNSAFE' | 'UNKNOWN';

export interface PropertyVerdict {
  property: Property;
  verdict: Verdict;
  findings: Finding[];
}

/**
 * A scenario's verdict per property, from its composed check and any checks the spec made
 * itself (`extra`, e.g. the WordPress tables read back, heartbeat's log), each a CheckResult
 * whose checker name says its property.
 */
export function propertyVerdicts(result: CheckResult, extra: readonly CheckResult[] = []): PropertyVerdict[] {
  const parts = [...(result.results ?? [result]), ...extra];
  return PROPERTIES.map((property) => {
    const mine = parts.filter((p) => propertyOf(p.checker) === property);
    const verdict: Verdict = mine.some((p) => p.valid === false) ? 'UNSAFE' : mine.some((p) => p.valid === 'unknown') ? 'UNKNOWN' : 'SAFE';
    return { property, verdict, findings: mine.flatMap((p) => p.findings) };
  });
}

export interface Judgement {
  /** Findings of a non-SAFE property that the operator has not accepted: the run fails on these. */
  unaccepted: Finding[];
  /** Accepted findings that showed. */
  reproduced: AcceptedFinding[];
  /** Accepted findings that did not show this time (STALE): a failure where they must reproduce. */
  stale: AcceptedFinding[];
  /** What the run fails on, one line each; empty when it passes. */
  failures: string[];
}

/**
 * Judges one scenario against the accepted findings: every finding of an UNSAFE or UNKNOWN
 * property must be accepted for this scenario; an accepted finding that did not show is STALE,
 * a failure when it must reproduce every time.
 */
export function judge(scenario: string, verdicts: readonly PropertyVerdict[], acceptance: Acceptance, options: { staleFails?: boolean } = {}): Judgement {
  const mine = acceptance.accepted.filter((a) => a.scenario === scenario || a.scenario === '*');
  const shown = verdicts.filter((v) => v.verdict !== 'SAFE').flatMap((v) => v.findings);
  const acceptanceOf = (f: Finding) => mine.find((a) => a.finding === f.id && a.scenario === scenario) ?? mine.find((a) => a.finding === f.id);
  const unaccepted = shown.filter((f) => !acceptanceOf(f));
  const reproduced = mine.filter((a) => shown.some((f) => f.id === a.finding));
  const stale = mine.filter((a) => a.scenario !== '*' && !shown.some((f) => f.id === a.finding));
  // An accepted timing finding beyond its bound, or one whose figure is missing, fails: the bound is the acceptance.
  const overBound = shown.flatMap((f) => {
    const max = acceptanceOf(f)?.maxSeconds;
    if (max === undefined) return [];
    if (f.seconds === undefined) return [`${scenario}: ${f.id} is accepted up to ${max} s, and the finding carries no seconds to hold against it: ${f.message}`];
    return f.seconds > max ? [`${scenario}: ${f.id} measured ${f.seconds.toFixed(0)} s, over the ${max} s the ${acceptance.profile} profile accepts: ${f.message}`] : [];
  });
  // A profile that accepts no data loss fails on every non-SAFE data-safety finding, accepted or not: UNKNOWN is not SAFE.
  const dataSafety = acceptance.acceptsDataSafety ? [] : verdicts.filter((v) => v.property === 'data safety' && v.verdict !== 'SAFE').flatMap((v) => v.findings.map((f) => ({ f, verdict: v.verdict }))).filter(({ f }) => acceptanceOf(f));
  // (the unaccepted ones fail already, below)
  const failures = [
    ...unaccepted.map((f) => `${scenario}: ${f.id} is not accepted in the ${acceptance.profile} profile: ${f.message}`),
    ...dataSafety.map(({ f, verdict }) => `${scenario}: ${f.id}: data safety is ${verdict}, which the ${acceptance.profile} profile never accepts: ${f.message}`),
    ...overBound,
    // A seeded schedule draws other parameters than the catalogue's: what must reproduce there need not here.
    ...stale.filter((a) => a.mustReproduce && options.staleFails !== false).map((a) => `${scenario}: STALE ${a.finding} was accepted as reproducing every run, and did not show`),
  ];
  return { unaccepted, reproduced, stale, failures };
}
