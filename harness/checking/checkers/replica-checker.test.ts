import { describe, expect, it } from 'vitest';
import { propertyOf } from '../signoff/acceptance.js';
import { replicaCheck } from './replica-checker.js';

describe('replicaCheck: the two disks block for block', () => {
  it('the same: SAFE, a data-safety check', () => {
    const result = replicaCheck({ outOfSyncBlocks: 0, ranges: [], done: true, seconds: 31 }, 'after D2');
    expect(result).toMatchObject({ valid: true, findings: [], evidence: { outOfSyncBlocks: 0, ranges: 0, seconds: 31 } });
    expect(propertyOf(result.checker)).toBe('data safety');
  });

  it('a differing block, or a range without a count: REPLICA-DIVERGED with the ranges as evidence', () => {
    const diverged = replicaCheck({ outOfSyncBlocks: 3, ranges: ['start=2048, size=24 (sectors)'], done: true, seconds: 30 }, 'after D2');
    expect(diverged.valid).toBe(false);
    expect(diverged.findings).toEqual([{ id: 'REPLICA-DIVERGED', message: '3 4 KiB block(s) differ between the disks after D2, though DRBD called them UpToDate/UpToDate', evidence: ['start=2048, size=24 (sectors)'] }]);
    expect(replicaCheck({ outOfSyncBlocks: 0, ranges: ['start=8, size=8 (sectors)'], done: true, seconds: 1 }, 'x').valid).toBe(false);
  });

  it('a verify that failed or never ended: UNKNOWN, never SAFE', () => {
    expect(replicaCheck({ error: 'drbdadm verify: exit 10' }, 'after D2')).toMatchObject({ valid: 'unknown', findings: [{ id: 'REPLICA-UNVERIFIED', message: 'the disks could not be compared after D2: drbdadm verify: exit 10' }] });
    expect(replicaCheck({ outOfSyncBlocks: 0, ranges: [], done: false, seconds: 300 }, 'x')).toMatchObject({ valid: 'unknown', findings: [{ id: 'REPLICA-UNVERIFIED', message: 'the disks could not be compared x: the verify did not report its end' }] });
  });
});
