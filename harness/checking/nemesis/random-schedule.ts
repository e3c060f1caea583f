import { seededRandom } from '../../support/random.js';

/**
 * A seeded random fault schedule for the nightly run (`--nemesis random --seed N --duration 30m`),
 * Jepsen's random nemesis in this harness's terms: faults drawn from the catalogue (which fault,
 * its target, when it strikes, how long it holds), each followed by a recovery window in which
 * the service must stay settled. The same seed and duration give the same schedule on any
 * machine; the run prints and records the seed and the command that replays it.
 */

/** A catalogue fault the schedule may draw, with the ranges it may draw for it. */
export interface NemesisChoice {
  /** The catalogue's id (F1…F9): its accepted findings apply. */
  id: string;
  name: string;
  /** Seconds the fault may hold, inclusive. */
  holdSeconds: readonly [number, number];
  /** Nodes it may strike; absent for a fault that picks its own (the link between both). */
  targets?: readonly string[];
  /** Its typical seconds under TCG, reset to settle, fixed part (the hold and recovery are added): to fit the duration. */
  typicalSeconds: number;
}

export interface PlannedFault {
  /** 1-based position in the schedule. */
  n: number;
  id: string;
  name: string;
  target?: string;
  holdSeconds: number;
  /** Seconds of acknowledged writes before it strikes. */
  leadSeconds: number;
  /** Seconds the service must stay settled after the heal before the next fault. */
  recoverySeconds: number;
  /** The estimate the schedule was fitted with. */
  estimatedSeconds: number;
}

export interface NemesisPlan {
  seed: number;
  durationSeconds: number;
  faults: PlannedFault[];
  estimatedSeconds: number;
}

export interface PlanOptions {
  leadSeconds?: readonly [number, number];
  recoverySeconds?: readonly [number, number];
}

/** A whole number in [min, max] from the seeded source. */
const between = (random: () => number, [min, max]: readonly [number, number]) => min + Math.floor(random() * (max - min + 1));

/**
 * Draws faults until the next would not fit in the duration (at least one: a nightly run that
 * draws nothing proves nothing). Every draw takes the same number of random numbers, so a
 * schedule's first faults do not depend on the duration.
 */
export function planRandomNemesis(seed: number, durationSeconds: number, choices: readonly NemesisChoice[], options: PlanOptions = {}): NemesisPlan {
  if (!choices.length) throw new Error('the random nemesis has no faults to draw from');
  const random = seededRandom(seed);
  const leadRange = options.leadSeconds ?? [0, 20];
  const recoveryRange = options.recoverySeconds ?? [20, 60];
  const faults: PlannedFault[] = [];
  let total = 0;
  for (;;) {
    const choice = choices[Math.floor(random() * choices.length)];
    const target = random();
    const holdSeconds = between(random, choice.holdSeconds);
    const leadSeconds = between(random, leadRange);
    const recoverySeconds = between(random, recoveryRange);
    const estimatedSeconds = choice.typicalSeconds + leadSeconds + holdSeconds + recoverySeconds;
    if (faults.length && total + estimatedSeconds > durationSeconds) break;
    faults.push({
      n: faults.length + 1, id: choice.id, name: choice.name,
      ...(choice.targets && { target: choice.targets[Math.floor(target * choice.targets.length)] }),
      holdSeconds, leadSeconds, recoverySeconds, estimatedSeconds,
    });
    total += estimatedSeconds;
    if (total >= durationSeconds) break;
  }
  return { seed, durationSeconds, faults, estimatedSeconds: total };
}

/** `30m`, `90s`, `1h`, `1h30m` or plain seconds; refuses anything else, naming the flag and the forms. */
export function parseDuration(text: string, flag = '--duration'): number {
  const match = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s?)?$/.exec(text.trim());
  const seconds = match ? Number(match[1] ?? 0) * 3600 + Number(match[2] ?? 0) * 60 + Number(match[3] ?? 0) : NaN;
  if (!match || !text.trim() || !(seconds > 0)) throw new Error(`${flag} ${JSON.stringify(text)}: not a duration; write e.g. 30m, 90s, 1h or 1h30m`);
  return seconds;
}

/** The seed from `--seed`: a whole number from 0 to 2^32 - 1. */
export function parseSeed(text: string, flag = '--seed'): number {
  const seed = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isInteger(seed) || seed > 4294967295) throw new Error(`${flag} ${JSON.stringify(text)}: must be a whole number from 0 to 4294967295`);
  return seed;
}

const minutes = (seconds: number) => (seconds % 60 ? `${Math.floor(seconds / 60)}m${seconds % 60}s` : `${seconds / 60}m`);

/** The command that runs this schedule again. */
export function replayCommand(plan: Pick<NemesisPlan, 'seed' | 'durationSeconds'>, extra: readonly string[] = []): string {
  return `npm run e2e -- --nemesis random --seed ${plan.seed} --duration ${minutes(plan.durationSeconds)}${extra.length ? ` ${extra.join(' ')}` : ''}`;
}

/** One line per fault, as printed at the start of the run and attached to the report. */
export function describePlan(plan: NemesisPlan): string {
  return [
    `random nemesis: seed ${plan.seed}, duration ${minutes(plan.durationSeconds)}, ${plan.faults.length} fault(s), about ${minutes(plan.estimatedSeconds)}`,
    ...plan.faults.map((f) => `  #${f.n} ${f.id} ${f.name}${f.target ? ` on ${f.target}` : ''}: strikes after ${f.leadSeconds} s of writes, holds ${f.holdSeconds} s, then ${f.recoverySeconds} s settled`),
  ].join('\n');
}
