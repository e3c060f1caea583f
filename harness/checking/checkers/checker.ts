import type { History } from '../history/history.js';

/**
 * Checkers as values, as Jepsen composes them: each reads the history and says valid, invalid,
 * or `unknown` when the history cannot decide (a node unseen at the moment that mattered, no
 * final read). A checker that throws is `unknown`, never valid.
 */
export type Validity = true | false | 'unknown';

/** A named outcome with what shows it: DOUBLE-vip, LEDGER-LOST, UNSEEN-mounted … (each explained in docs/findings.md). */
export interface Finding {
  id: string;
  message: string;
  evidence?: unknown;
  /** A timing finding's figure (an outage, seconds over a floor): what an acceptance's `maxSeconds` bounds. */
  seconds?: number;
}

export interface CheckResult {
  checker: string;
  valid: Validity;
  findings: Finding[];
  /** Figures behind the verdict (counts, windows, seconds), for the report. */
  evidence: Record<string, unknown>;
  /** A composed checker's parts. */
  results?: CheckResult[];
}

export interface Checker {
  name: string;
  check(history: History): CheckResult;
}

/** invalid beats unknown beats valid. */
export function mergeValidity(validities: readonly Validity[]): Validity {
  if (validities.includes(false)) return false;
  if (validities.includes('unknown')) return 'unknown';
  return true;
}

/** A checker from a function; an exception becomes `unknown` with the error as its finding. */
export function checker(name: string, check: (history: History) => Omit<CheckResult, 'checker'>): Checker {
  return {
    name,
    check(history) {
      try {
        return { checker: name, ...check(history) };
      } catch (error) {
        return {
          checker: name,
          valid: 'unknown',
          findings: [{ id: 'CHECKER-CRASHED', message: `${name} could not decide: ${(error as Error).message}` }],
          evidence: {},
        };
      }
    },
  };
}

/** One checker from many: every part runs, the verdict is their merge, the findings their union. */
export function compose(name: string, parts: readonly Checker[]): Checker {
  return checker(name, (history) => {
    const results = parts.map((part) => part.check(history));
    return {
      valid: mergeValidity(results.map((r) => r.valid)),
      findings: results.flatMap((r) => r.findings),
      evidence: {},
      results,
    };
  });
}

export function describeValidity(valid: Validity): 'SAFE' | 'UNSAFE' | 'UNKNOWN' {
  return valid === true ? 'SAFE' : valid === false ? 'UNSAFE' : 'UNKNOWN';
}

/** One line per part: `SAFE exclusive vip`, `UNSAFE ledger: LEDGER-LOST …`. */
export function summarize(result: CheckResult): string {
  const parts = result.results ?? [result];
  return parts.map((r) => `${describeValidity(r.valid).padEnd(7)} ${r.checker}${r.findings.length ? `: ${r.findings.map((f) => f.message).join('; ')}` : ''}`).join('\n');
}
