import { describe, expect, it } from 'vitest';
import { describePlan, parseDuration, parseSeed, planRandomNemesis, replayCommand, type NemesisChoice } from './random-schedule.js';

const choices: NemesisChoice[] = [
  { id: 'F1', name: 'link cut', holdSeconds: [30, 90], typicalSeconds: 200 },
  { id: 'F2', name: 'NIC down', holdSeconds: [30, 90], targets: ['linux01', 'linux02'], typicalSeconds: 200 },
  { id: 'F7', name: 'mysqld killed', holdSeconds: [10, 40], targets: ['linux01', 'linux02'], typicalSeconds: 120 },
];
const sequence = (plan: ReturnType<typeof planRandomNemesis>) => plan.faults.map((f) => `${f.id}:${f.target ?? '-'}:${f.holdSeconds}:${f.leadSeconds}:${f.recoverySeconds}`);

describe('planRandomNemesis', () => {
  it('the same seed gives the same schedule, fault for fault', () => {
    expect(sequence(planRandomNemesis(20261128, 1800, choices))).toEqual(sequence(planRandomNemesis(20261128, 1800, choices)));
  });

  it('another seed gives another schedule', () => {
    const seeds = [1, 2, 3, 4, 5].map((seed) => sequence(planRandomNemesis(seed, 1800, choices)).join(' '));
    expect(new Set(seeds).size).toBe(5);
  });

  it('draws within each fault\'s ranges and from its targets', () => {
    for (let seed = 0; seed < 200; seed++) {
      for (const f of planRandomNemesis(seed, 3600, choices).faults) {
        const choice = choices.find((c) => c.id === f.id)!;
        expect(f.holdSeconds).toBeGreaterThanOrEqual(choice.holdSeconds[0]);
        expect(f.holdSeconds).toBeLessThanOrEqual(choice.holdSeconds[1]);
        expect(f.leadSeconds).toBeGreaterThanOrEqual(0);
        expect(f.leadSeconds).toBeLessThanOrEqual(20);
        expect(f.recoverySeconds).toBeGreaterThanOrEqual(20);
        expect(f.recoverySeconds).toBeLessThanOrEqual(60);
        if (choice.targets) expect(choice.targets).toContain(f.target);
        else expect(f.target).toBeUndefined();
      }
    }
  });

  it('fits the duration: the estimate stays within it, except a first fault that alone is longer', () => {
    for (let seed = 0; seed < 100; seed++) {
      const plan = planRandomNemesis(seed, 1800, choices);
      expect(plan.faults.length).toBeGreaterThan(0);
      expect(plan.estimatedSeconds).toBe(plan.faults.reduce((sum, f) => sum + f.estimatedSeconds, 0));
      if (plan.faults.length > 1) expect(plan.estimatedSeconds).toBeLessThanOrEqual(1800);
    }
    expect(planRandomNemesis(7, 10, choices).faults).toHaveLength(1);
  });

  it('a longer duration extends the same seed\'s schedule: its first faults are the shorter one\'s', () => {
    const short = sequence(planRandomNemesis(42, 900, choices));
    expect(sequence(planRandomNemesis(42, 3600, choices)).slice(0, short.length)).toEqual(short);
  });

  it('refuses an empty catalogue', () => {
    expect(() => planRandomNemesis(1, 60, [])).toThrow('no faults to draw from');
  });
});

describe('the nemesis flags', () => {
  it('parses durations as an operator writes them', () => {
    expect(parseDuration('30m')).toBe(1800);
    expect(parseDuration('90s')).toBe(90);
    expect(parseDuration('1h30m')).toBe(5400);
    expect(parseDuration('600')).toBe(600);
    for (const bad of ['', '0m', 'half an hour', '30 m', '-5m']) expect(() => parseDuration(bad), bad).toThrow(/^--duration ".*": not a duration; write e.g. 30m/);
  });

  it('parses a seed, and refuses what is not one', () => {
    expect(parseSeed('20261128')).toBe(20261128);
    for (const bad of ['', 'x', '-1', '1.5', '4294967296']) expect(() => parseSeed(bad), bad).toThrow(/^--seed ".*": must be a whole number/);
  });

  it('prints the schedule and the command that replays it', () => {
    const plan = planRandomNemesis(5, 600, choices);
    expect(replayCommand(plan)).toBe('npm run e2e -- --nemesis random --seed 5 --duration 10m');
    expect(replayCommand({ seed: 5, durationSeconds: 90 }, ['--profile', 'hardened'])).toBe('npm run e2e -- --nemesis random --seed 5 --duration 1m30s --profile hardened');
    const text = describePlan(plan);
    expect(text.split('\n')[0]).toMatch(/^random nemesis: seed 5, duration 10m, \d+ fault\(s\), about /);
    expect(text.split('\n')).toHaveLength(plan.faults.length + 1);
    expect(text).toMatch(/#1 F\d .*: strikes after \d+ s of writes, holds \d+ s, then \d+ s settled/);
  });
});
