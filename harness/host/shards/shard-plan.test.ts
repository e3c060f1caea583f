import { describe, expect, it } from 'vitest';
import { durationsFromJunit, parseShard, planShards, shardSpecs, UNMEASURED_SECONDS } from './shard-plan.js';

const SPECS = ['specs/00-lab-vms.spec.ts', 'specs/01-procedure.spec.ts', 'specs/02-steady-state.spec.ts', 'specs/03-s1.spec.ts', 'specs/F1-a.spec.ts', 'specs/F2-b.spec.ts', 'specs/F3-c.spec.ts', 'specs/F7-d.spec.ts', 'specs/V0-config-audit.spec.ts'];
const SECONDS = { 'specs/03-s1.spec.ts': 200, 'specs/F1-a.spec.ts': 300, 'specs/F2-b.spec.ts': 280, 'specs/F3-c.spec.ts': 190, 'specs/F7-d.spec.ts': 60, 'specs/01-procedure.spec.ts': 900 };

describe('parseShard', () => {
  it.each([['1/2', { index: 1, count: 2 }], ['3/3', { index: 3, count: 3 }], ['1/1', { index: 1, count: 1 }]])('%s', (text, shard) => expect(parseShard(text)).toEqual(shard));
  it.each(['0/2', '3/2', '2', 'a/b', '1/0', '1/33', ' 1/2'])('refuses %j, saying what it takes', (text) => {
    expect(() => parseShard(text)).toThrow(`--shard ${JSON.stringify(text)}: give i/n, the shard's number and how many there are, e.g. 1/2 (n from 1 to 32)`);
  });
});

describe('planShards: the scenarios dealt out by their seconds, the cluster\'s specs in every shard', () => {
  it('two shards: longest first to the lightest, each in file order with 00-02 and V0', () => {
    const plan = planShards(SPECS, SECONDS, 2);
    expect(plan.shards).toEqual([
      ['specs/00-lab-vms.spec.ts', 'specs/01-procedure.spec.ts', 'specs/02-steady-state.spec.ts', 'specs/F1-a.spec.ts', 'specs/F3-c.spec.ts', 'specs/V0-config-audit.spec.ts'],
      ['specs/00-lab-vms.spec.ts', 'specs/01-procedure.spec.ts', 'specs/02-steady-state.spec.ts', 'specs/03-s1.spec.ts', 'specs/F2-b.spec.ts', 'specs/F7-d.spec.ts', 'specs/V0-config-audit.spec.ts'],
    ]);
    // F1 300 → 1; F2 280 → 2; S1 200 → 2 (280 < 300); F3 190 → 1 (300 < 480); F7 60 → 2 (480 < 490).
    expect(plan.loads).toEqual([490, 540]);
    expect(shardSpecs(plan, { index: 2, count: 2 })).toBe(plan.shards[1]);
  });

  it('every scenario in exactly one shard, whatever the count; one shard is the whole run', () => {
    for (const count of [1, 2, 3, 5, 8]) {
      const dealt = planShards(SPECS, SECONDS, count).shards.flatMap((s) => s.filter((spec) => /\/(03|F)/.test(spec)));
      expect(dealt.sort()).toEqual(SPECS.filter((spec) => /\/(03|F)/.test(spec)).sort());
    }
    expect(planShards(SPECS, SECONDS, 1).shards).toEqual([SPECS]);
  });

  it('an unmeasured spec counts as UNMEASURED_SECONDS; ties go by name, then to the first shard', () => {
    const plan = planShards(['specs/F9-z.spec.ts', 'specs/F8-y.spec.ts', 'specs/F1-a.spec.ts'], { 'specs/F1-a.spec.ts': UNMEASURED_SECONDS }, 2);
    expect(plan.shards).toEqual([['specs/F1-a.spec.ts', 'specs/F9-z.spec.ts'], ['specs/F8-y.spec.ts']]);
    expect(plan.loads).toEqual([600, 300]);
  });

  it('the same input, the same plan: any shard knows what every shard runs', () => {
    expect(planShards([...SPECS].reverse(), SECONDS, 3)).toEqual(planShards(SPECS, SECONDS, 3));
  });
});

describe('durationsFromJunit', () => {
  it('sums each spec file\'s testcases, rounded; a later report wins for the files it has', () => {
    const a = '<testcase classname="specs/F1-a.spec.ts" name="x" time="100.4"></testcase><testcase classname="specs/F1-a.spec.ts" name="y" time="20.2"/><testcase classname="specs/F2-b.spec.ts" name="z" time="7"/>';
    const b = '<testcase classname="specs/F2-b.spec.ts" name="z" time="9.6">';
    expect(durationsFromJunit([a, b])).toEqual({ 'specs/F1-a.spec.ts': 121, 'specs/F2-b.spec.ts': 10 });
  });
});
