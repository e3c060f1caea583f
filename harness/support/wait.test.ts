import { describe, expect, it } from 'vitest';
import { sustained, waitFor } from './wait.js';

describe('waitFor', () => {
  it('returns the first value the check gives without throwing', async () => {
    let calls = 0;
    const value = await waitFor('three calls', () => {
      calls++;
      if (calls < 3) throw new Error(`only ${calls}`);
      return 'done';
    }, { timeoutSeconds: 5, intervalSeconds: 0.01 });
    expect(value).toBe('done');
    expect(calls).toBe(3);
  });

  it('times out naming what it waited for and the last error', async () => {
    let calls = 0;
    await expect(waitFor('the impossible', async () => {
      calls++;
      throw new Error(`attempt ${calls} failed`);
    }, { timeoutSeconds: 0.2, intervalSeconds: 0.05 })).rejects.toThrow(/^timed out after 0\.2 s waiting until the impossible; last attempt: attempt \d+ failed$/);
    expect(calls).toBeGreaterThan(1);
  });
});

describe('sustained', () => {
  it('passes only after the condition held without a break for the whole window', () => {
    let clock = 0;
    const settled = sustained(20, () => clock);
    expect(() => settled(undefined)).toThrow('held 0 s of the 20 s it must hold');
    clock = 15_000;
    expect(() => settled(undefined)).toThrow('held 15 s of the 20 s');
    clock = 20_000;
    expect(() => settled(undefined)).not.toThrow();
  });

  it('starts the count again after a problem, and reports the problem', () => {
    let clock = 0;
    const settled = sustained(20, () => clock);
    expect(() => settled(undefined)).toThrow(/held 0 s/);
    clock = 19_000;
    expect(() => settled('linux01: nothing')).toThrow(/^linux01: nothing$/);
    clock = 21_000;
    expect(() => settled(undefined)).toThrow('held 0 s of the 20 s');
    clock = 40_999;
    expect(() => settled(undefined)).toThrow('held 20 s');
    clock = 41_000;
    expect(() => settled(undefined)).not.toThrow();
  });
});
