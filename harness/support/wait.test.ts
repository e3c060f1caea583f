import { describe, expect, it } from 'vitest';
import { waitFor } from './wait.js';

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
