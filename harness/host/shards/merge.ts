import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readSignoffRows, type SignoffRow } from '../../checking/signoff/signoff-table.js';
import { durationsFromJunit, SHARD_FILE, type Shard, type ShardPlan } from './shard-plan.js';

/** What one shard's reports folder holds for the merge. */
export interface ShardResult {
  dir: string;
  /** The run's facts (timings.json): commit, profile, acceptance file and its hash, … */
  facts: Record<string, string>;
  shard?: Shard;
  plan?: ShardPlan;
  rows: SignoffRow[];
  /** The spec files that ran (their testcases are in the shard's JUnit report). */
  ran: string[];
}

export function readShardResult(dir: string): ShardResult {
  if (!existsSync(dir)) throw new Error(`${dir}: no such reports folder`);
  const timings = join(dir, 'timings.json');
  if (!existsSync(timings)) throw new Error(`${dir}: no timings.json: not the reports of a run (npm run e2e -- --shard i/n writes them)`);
  const facts = (JSON.parse(readFileSync(timings, 'utf8')) as { facts?: Record<string, string> }).facts ?? {};
  const shardFile = join(dir, SHARD_FILE);
  const sharded = existsSync(shardFile) ? (JSON.parse(readFileSync(shardFile, 'utf8')) as { shard: Shard; plan: ShardPlan }) : undefined;
  const junit = join(dir, 'junit.xml');
  const ran = existsSync(junit) ? Object.keys(durationsFromJunit([readFileSync(junit, 'utf8')])).sort() : [];
  return { dir, facts, ...(sharded && { shard: sharded.shard, plan: sharded.plan }), rows: readSignoffRows(join(dir, 'scenarios')), ran };
}

/** The facts that must be the same in every shard for their verdicts to be one sign-off. */
export const MUST_AGREE = ['commit', 'profile', 'variant', 'acceptance'] as const;

export interface MergedSignoff {
  rows: SignoffRow[];
  /** Specs some shard was to run that no shard ran (its cluster failed, the runner died): never passed. */
  missing: string[];
  facts: Record<string, string>;
}

/**
 * The shards' results as one sign-off. Refused when they are of different commits, profiles,
 * variants or acceptance files (naming the fact and the folders). A row that several shards
 * wrote (V0, which each runs at its end: same id and name) is kept once when they agree, each with its shard
 * otherwise. A spec that the plan gave to a shard and no shard ran is missing.
 */
export function mergeShards(results: readonly ShardResult[]): MergedSignoff {
  if (!results.length) throw new Error('no shard results to merge');
  for (const fact of MUST_AGREE) {
    const values = new Map(results.map((r) => [r.facts[fact] ?? 'unknown', r.dir]));
    if (values.size > 1) throw new Error(`the shards' ${fact} differs (${[...values].map(([value, dir]) => `${dir}: ${value}`).join('; ')}): results of different runs are not one sign-off`);
  }
  const plans = new Map(results.filter((r) => r.plan).map((r) => [JSON.stringify(r.plan!.shards), r.dir]));
  if (plans.size > 1) throw new Error(`the shards were dealt out differently (${[...plans.values()].join(', ')}): run them from the same commit and durations`);
  const plan = results.find((r) => r.plan)?.plan;
  const rows: SignoffRow[] = [];
  // A row is its scenario's id and name: D1's repetitions share the id and are rows of their own.
  const byRow = new Map<string, { row: SignoffRow; result: ShardResult }[]>();
  for (const result of results) {
    for (const row of result.rows) {
      const key = `${row.id}\u0000${row.name}`;
      byRow.set(key, [...(byRow.get(key) ?? []), { row, result }]);
    }
  }
  for (const [, copies] of [...byRow].sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))) {
    const same = copies.every((c) => JSON.stringify(c.row.verdicts.map((v) => v.verdict)) === JSON.stringify(copies[0].row.verdicts.map((v) => v.verdict)) && c.row.judgement.failures.length === copies[0].row.judgement.failures.length);
    if (same) rows.push(copies[0].row);
    else rows.push(...copies.map((c) => ({ ...c.row, name: `${c.row.name} (shard ${c.result.shard ? `${c.result.shard.index}/${c.result.shard.count}` : c.result.dir})` })));
  }
  const ran = new Set(results.flatMap((r) => r.ran));
  const planned = plan ? [...new Set(plan.shards.flat())].sort() : [];
  const shards = results.map((r) => (r.shard ? `${r.shard.index}/${r.shard.count}` : r.dir)).join(', ');
  return { rows, missing: planned.filter((spec) => !ran.has(spec)), facts: { ...results[0].facts, shards } };
}

/** The merged sign-off's closing section: what did not run, never as passed. */
export function renderMissing(missing: readonly string[]): string {
  if (!missing.length) return '';
  return `\n## MISSING: planned for a shard, run by none\n\n${missing.map((spec) => `- ${spec}: no verdict (its shard did not run it); the sign-off is incomplete`).join('\n')}\n`;
}
