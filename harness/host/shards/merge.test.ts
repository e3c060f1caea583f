import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SignoffRow } from '../../checking/signoff/signoff-table.js';
import { mergeShards, readShardResult, renderMissing, type ShardResult } from './merge.js';
import { planShards } from './shard-plan.js';

const SPECS = ['specs/00-lab-vms.spec.ts', 'specs/F1-a.spec.ts', 'specs/F2-b.spec.ts', 'specs/V0-config-audit.spec.ts'];
const plan = planShards(SPECS, { 'specs/F1-a.spec.ts': 300, 'specs/F2-b.spec.ts': 200 }, 2);
const facts = { commit: 'abc1234', profile: 'guide (topology.json)', variant: 'final', acceptance: 'acceptance/guide.json sha256 11' };
const row = (id: string, verdict: 'SAFE' | 'UNSAFE', failures: string[] = [], name = `scenario ${id}`): SignoffRow => ({
  id, name, profile: 'guide', verdicts: [{ property: 'data safety', verdict, findings: [] }, { property: 'exclusive ownership', verdict: 'SAFE', findings: [] }, { property: 'availability', verdict: 'SAFE', findings: [] }],
  figures: { writesAcknowledged: 1, longestOutageSeconds: 1, splitBrain: false, writesLost: 0 }, judgement: { failures, reproduced: [], stale: [] }, timeline: 't.svg', startedFrom: 'snapshot',
});
const shard = (index: number, rows: SignoffRow[], ran: string[], more: Partial<ShardResult> = {}): ShardResult => ({ dir: `reports/shard-${index}-of-2`, facts, shard: { index, count: 2 }, plan, rows, ran, ...more });

describe('mergeShards', () => {
  it('one sign-off of every shard\'s rows; V0, which each shard runs, once when they agree', () => {
    const merged = mergeShards([
      shard(1, [row('F1', 'UNSAFE'), row('V0', 'SAFE')], ['specs/00-lab-vms.spec.ts', 'specs/F1-a.spec.ts', 'specs/V0-config-audit.spec.ts']),
      shard(2, [row('F2', 'SAFE'), row('V0', 'SAFE')], ['specs/00-lab-vms.spec.ts', 'specs/F2-b.spec.ts', 'specs/V0-config-audit.spec.ts']),
    ]);
    expect(merged.rows.map((r) => r.id)).toEqual(['F1', 'F2', 'V0']);
    expect(merged.missing).toEqual([]);
    expect(merged.facts).toMatchObject({ commit: 'abc1234', shards: '1/2, 2/2' });
  });

  it('a scenario\'s repetitions (one id, names of their own) are rows of their own, in order', () => {
    const reps = [3, 1, 2].map((n) => row('D1', 'SAFE', [], `burst power cut ${n} of 3`));
    const merged = mergeShards([shard(1, [...reps, row('V0', 'SAFE')], SPECS), shard(2, [row('F2', 'SAFE'), row('V0', 'SAFE')], SPECS)]);
    expect(merged.rows.map((r) => `${r.id} ${r.name}`)).toEqual(['D1 burst power cut 1 of 3', 'D1 burst power cut 2 of 3', 'D1 burst power cut 3 of 3', 'F2 scenario F2', 'V0 scenario V0']);
  });

  it('a row the shards disagree on is kept from each, named by its shard', () => {
    const merged = mergeShards([shard(1, [row('V0', 'SAFE')], SPECS), shard(2, [row('V0', 'UNSAFE', ['V0: CONFIG-X is not accepted'])], SPECS)]);
    expect(merged.rows.map((r) => r.name)).toEqual(['scenario V0 (shard 1/2)', 'scenario V0 (shard 2/2)']);
  });

  it('a spec planned for a shard that no shard ran is MISSING, never passed', () => {
    const merged = mergeShards([shard(1, [row('F1', 'SAFE')], ['specs/00-lab-vms.spec.ts', 'specs/F1-a.spec.ts', 'specs/V0-config-audit.spec.ts'])]);
    expect(merged.missing).toEqual(['specs/F2-b.spec.ts']);
    expect(renderMissing(merged.missing)).toBe('\n## MISSING: planned for a shard, run by none\n\n- specs/F2-b.spec.ts: no verdict (its shard did not run it); the sign-off is incomplete\n');
    expect(renderMissing([])).toBe('');
  });

  it.each(['commit', 'profile', 'variant', 'acceptance'] as const)('refuses shards of different %s, naming both', (fact) => {
    expect(() => mergeShards([shard(1, [], SPECS), shard(2, [], SPECS, { facts: { ...facts, [fact]: 'other' } })]))
      .toThrow(new RegExp(`the shards' ${fact} differs \\(reports/shard-1-of-2: .*; reports/shard-2-of-2: other\\)`));
  });

  it('refuses shards dealt out differently, and nothing at all', () => {
    expect(() => mergeShards([shard(1, [], SPECS), shard(2, [], SPECS, { plan: planShards(SPECS, { 'specs/F2-b.spec.ts': 900 }, 2) })])).toThrow(/the shards were dealt out differently/);
    expect(() => mergeShards([])).toThrow('no shard results to merge');
  });
});

describe('readShardResult', () => {
  const dir = mkdtempSync(join(tmpdir(), 'halab-shard-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the facts, the plan, the rows and which specs ran', () => {
    writeFileSync(join(dir, 'timings.json'), JSON.stringify({ facts }));
    writeFileSync(join(dir, 'shard.json'), JSON.stringify({ shard: { index: 1, count: 2 }, plan }));
    writeFileSync(join(dir, 'junit.xml'), '<testcase classname="specs/F1-a.spec.ts" name="a" time="1"/><testcase classname="specs/F1-a.spec.ts" name="b" time="1"/>');
    mkdirSync(join(dir, 'scenarios', 'f1'), { recursive: true });
    writeFileSync(join(dir, 'scenarios', 'f1', 'signoff.json'), JSON.stringify(row('F1', 'SAFE')));
    const result = readShardResult(dir);
    expect(result).toMatchObject({ facts, shard: { index: 1, count: 2 }, ran: ['specs/F1-a.spec.ts'] });
    expect(result.rows.map((r) => r.id)).toEqual(['F1']);
    expect(result.plan?.shards).toEqual(plan.shards);
  });

  it('refuses a folder that is not a run\'s reports', () => {
    expect(() => readShardResult(join(dir, 'nope'))).toThrow(/no such reports folder/);
    expect(() => readShardResult(join(dir, 'scenarios'))).toThrow(/no timings\.json: not the reports of a run/);
  });
});
