import type { Step } from './step.js';

/** One phase of the guide: a provision/ script's steps under a name `--only` accepts. */
export interface Phase {
  name: string;
  steps: Step[];
}

export interface Selection {
  until?: string;
  from?: string;
  only?: string;
}

/** A step id names itself and its sub-steps: `P8` is P8.1, P8.2, P8.3; `S7` is S7 and S7.sync. */
const names = (step: Step, id: string) => step.id === id || step.id.startsWith(`${id}.`);

/**
 * The steps `--only <phase>`, `--from <id>` and `--until <id>` select, in the procedure's order.
 * Refuses an unknown phase or step id (listing the known ones), and a range that ends before it starts.
 */
export function selectSteps(phases: readonly Phase[], selection: Selection): { steps: Step[]; before: Step[] } {
  let pool = phases.flatMap((phase) => phase.steps);
  let before: Step[] = [];
  if (selection.only !== undefined) {
    const phase = phases.find((ph) => ph.name === selection.only);
    if (!phase) throw new Error(`--only ${selection.only}: no such phase; the phases are ${phases.map((ph) => ph.name).join(', ')}`);
    before = pool.slice(0, pool.indexOf(phase.steps[0]));
    pool = phase.steps;
  }
  const known = () => pool.map((s) => s.id).join(' ');
  let first = 0;
  let last = pool.length - 1;
  if (selection.from !== undefined) {
    first = pool.findIndex((s) => names(s, selection.from!));
    if (first < 0) throw new Error(`--from ${selection.from}: no such step${selection.only ? ` in phase ${selection.only}` : ''}; the steps are ${known()}`);
  }
  if (selection.until !== undefined) {
    last = pool.findLastIndex((s) => names(s, selection.until!));
    if (last < 0) throw new Error(`--until ${selection.until}: no such step${selection.only ? ` in phase ${selection.only}` : ''}; the steps are ${known()}`);
  }
  if (last < first) throw new Error(`--from ${selection.from} comes after --until ${selection.until}: nothing to run`);
  return { steps: pool.slice(first, last + 1), before: [...before, ...pool.slice(0, first)] };
}
