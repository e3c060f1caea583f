import { describe, expect, it } from 'vitest';
import { parseVerifyLines } from './online-verify.js';

describe('parseVerifyLines: DRBD 8.4\'s online verify in the kernel log', () => {
  it('a clean verify: done, nothing out of sync', () => {
    expect(parseVerifyLines(['drbd r0/0 drbd0: Online Verify start sector: 0', 'drbd r0/0 drbd0: Online verify done (total 31 sec; paused 0 sec; 10572 K/sec)'])).toEqual({ done: true, outOfSyncBlocks: 0, ranges: [] });
  });

  it('differing blocks: the count and every range', () => {
    expect(parseVerifyLines([
      'drbd r0/0 drbd0: Out of sync: start=2048, size=24 (sectors)',
      'drbd r0/0 drbd0: Out of sync: start=90112, size=8 (sectors)',
      'drbd r0/0 drbd0: Online verify done (total 30 sec; paused 0 sec; 10922 K/sec)',
      'drbd r0/0 drbd0: Online verify found 4 4k block out of sync!',
    ])).toEqual({ done: true, outOfSyncBlocks: 4, ranges: ['start=2048, size=24 (sectors)', 'start=90112, size=8 (sectors)'] });
  });

  it('still running: not done', () => {
    expect(parseVerifyLines(['drbd r0/0 drbd0: Online Verify start sector: 0']).done).toBe(false);
  });
});
