import { describe, expect, it } from 'vitest';
import { build } from './history.fixture.js';
import { throughput } from './throughput.js';

describe('throughput', () => {
  it('counts acknowledged writes per second before the fault and inside its window', () => {
    const b = build();
    // 1..10 acked over the first 2 s (5/s), fault 2000-4000 with 2 acks and a failure, then 3 acks.
    for (let i = 0; i < 10; i++) b.write(i + 1, i * 200, 'ok', 5);
    b.fault('cut', 2000, 4000);
    b.write(20, 2500, 'ok', 5).write(21, 3000, 'fail', 5).write(22, 3500, 'ok', 5);
    for (let i = 0; i < 3; i++) b.write(30 + i, 4100 + i * 100, 'ok', 5);
    const t = throughput(b.history);
    expect(t.steady).toBe(5);
    expect(t.faulted).toBe(1);
    expect(t.perSecond).toEqual([5, 5, 1, 1, 3]);
  });

  it('says nothing it did not see: no acks, no fault', () => {
    expect(throughput(build().write(1, 0, 'fail').write(2, 1500, 'info').history)).toEqual({ steady: undefined, faulted: undefined, perSecond: [0, 0] });
    expect(throughput(build().write(1, 0, 'ok', 5).write(2, 1000, 'ok', 5).history).faulted).toBeUndefined();
  });
});
