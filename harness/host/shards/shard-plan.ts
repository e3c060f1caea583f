import { existsSync, readFileSync } from 'node:fs';

/**
 * Shards: the selected specs split over several runners, each with its own cluster. The specs
 * that build and check a cluster run in every shard; the scenarios are dealt out by their
 * measured durations (longest first, each to the least loaded shard), so that the shards end
 * about together. The plan depends only on the specs, the durations and the count: every shard
 * computes the same plan, and the merge knows from any shard what all of them were to run.
 */

/** One shard of `count`, numbered from 1 as `--shard 2/3` says. */
export interface Shard {
  index: number;
  count: number;
}

/** The specs every shard runs: its cluster's bring-up and procedure, the steady state, and V0 at the end. */
export const EVERY_SHARD = /^specs\/(00-|01-|02-|V0-)/;

/** Written by each shard beside its reports: its number and the whole plan. */
export const SHARD_FILE = 'shard.json';

/** Seconds a scenario is taken to last when no run has measured it. */
export const UNMEASURED_SECONDS = 300;

export function parseShard(text: string, flag = '--shard'): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const shard = m ? { index: Number(m[1]), count: Number(m[2]) } : undefined;
  if (!shard || shard.count < 1 || shard.count > 32 || shard.index < 1 || shard.index > shard.count) {
    throw new Error(`${flag} ${JSON.stringify(text)}: give i/n, the shard's number and how many there are, e.g. 1/2 (n from 1 to 32)`);
  }
  return shard;
}

export interface ShardPlan {
  count: number;
  /** Each shard's specs, in file order, the ones of every shard included. */
  shards: string[][];
  /** Each shard's expected seconds of scenarios (what the balance is about). */
  loads: number[];
}

/** Deals `specs` out over `count` shards by `seconds` (longest first, to the least loaded; ties by name and by shard number). */
export function planShards(specs: readonly string[], seconds: Readonly<Record<string, number>>, count: number): ShardPlan {
  const every = specs.filter((s) => EVERY_SHARD.test(s));
  const dealt = specs.filter((s) => !EVERY_SHARD.test(s));
  const cost = (spec: string) => seconds[spec] ?? UNMEASURED_SECONDS;
  const order = [...dealt].sort((a, b) => cost(b) - cost(a) || a.localeCompare(b));
  const shards: string[][] = Array.from({ length: count }, () => []);
  const loads = Array.from({ length: count }, () => 0);
  for (const spec of order) {
    const lightest = loads.indexOf(Math.min(...loads));
    shards[lightest].push(spec);
    loads[lightest] += cost(spec);
  }
  return { count, shards: shards.map((mine) => [...every, ...mine].sort()), loads };
}

/** The specs of one shard. */
export function shardSpecs(plan: ShardPlan, shard: Shard): string[] {
  return plan.shards[shard.index - 1];
}

/** The durations kept in the repository (`specs/durations.json`): seconds per spec file, as runs measured them. */
export interface Durations {
  measured: string;
  seconds: Record<string, number>;
}

export function readDurations(file: string): Durations {
  if (!existsSync(file)) return { measured: 'never', seconds: {} };
  const raw = JSON.parse(readFileSync(file, 'utf8')) as Partial<Durations>;
  const seconds = raw.seconds ?? {};
  for (const [spec, value] of Object.entries(seconds)) {
    if (!(typeof value === 'number' && value > 0)) throw new Error(`${file}: seconds.${spec} = ${JSON.stringify(value)} is not a number of seconds`);
  }
  return { measured: String(raw.measured ?? 'unknown'), seconds };
}

/**
 * Each spec file's seconds from JUnit reports (vitest's: a testcase's `classname` is its file,
 * `time` its seconds), summed per file; the latest report wins for a file it has.
 */
export function durationsFromJunit(xmls: readonly string[]): Record<string, number> {
  const seconds: Record<string, number> = {};
  for (const xml of xmls) {
    const mine: Record<string, number> = {};
    for (const m of xml.matchAll(/<testcase\b[^>]*?classname="([^"]+)"[^>]*?time="([\d.]+)"/g)) mine[m[1]] = (mine[m[1]] ?? 0) + Number(m[2]);
    for (const [spec, total] of Object.entries(mine)) seconds[spec] = Math.round(total);
  }
  return seconds;
}
