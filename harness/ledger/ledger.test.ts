import { describe, expect, it } from 'vitest';
import { checkLedger, classifyError, serviceGaps, type Attempt } from './ledger.js';

const attempt = (id: number, outcome: Attempt['outcome'], at = id * 1000): Attempt => ({ id, at, outcome });

describe('checkLedger', () => {
  it('passes when every acknowledged write survived', () => {
    const verdict = checkLedger([attempt(1, 'acknowledged'), attempt(2, 'failed'), attempt(3, 'acknowledged')], [1, 3]);
    expect(verdict).toMatchObject({ attempted: 3, acknowledged: 2, failed: 1, unknown: 0, lost: [], unexpected: [], recovered: [], ok: true });
  });

  it('reports an acknowledged write that is missing as lost', () => {
    const verdict = checkLedger([attempt(1, 'acknowledged'), attempt(2, 'acknowledged')], [1]);
    expect(verdict.lost).toEqual([2]);
    expect(verdict.ok).toBe(false);
  });

  it('reports rows nobody attempted, and rows of writes never sent, as unexpected', () => {
    const verdict = checkLedger([attempt(1, 'acknowledged'), attempt(2, 'failed')], [1, 2, 99]);
    expect(verdict.unexpected).toEqual([2, 99]);
    expect(verdict.ok).toBe(false);
  });

  it('counts unknown writes that survived as recovered, and those that did not as fine', () => {
    const verdict = checkLedger([attempt(1, 'unknown'), attempt(2, 'unknown'), attempt(3, 'acknowledged')], [1, 3]);
    expect(verdict).toMatchObject({ unknown: 2, recovered: [1], lost: [], unexpected: [], ok: true });
  });
});

describe('classifyError', () => {
  it('treats connect failures and refusals as failed, mid-query losses as unknown', () => {
    expect(classifyError('ECONNREFUSED', 'connect')).toBe('failed');
    expect(classifyError('PROTOCOL_CONNECTION_LOST', 'query')).toBe('unknown');
    expect(classifyError('ECONNREFUSED', 'query')).toBe('failed');
    expect(classifyError(undefined, 'query')).toBe('unknown');
  });
});

describe('serviceGaps', () => {
  it('measures RTO from the fault to the first acknowledged write after failures, and the longest outage', () => {
    const attempts = [attempt(1, 'acknowledged', 0), attempt(2, 'acknowledged', 1000), attempt(3, 'failed', 2000),
      attempt(4, 'unknown', 5000), attempt(5, 'acknowledged', 22_000), attempt(6, 'acknowledged', 23_000)];
    expect(serviceGaps(attempts, 1500)).toEqual({ rtoSeconds: 20.5, outageSeconds: 21 });
  });

  it('starts the clock at the fault, not at the first failure, and ignores writes still acknowledged right after it', () => {
    const attempts = [attempt(1, 'acknowledged', 0), attempt(2, 'acknowledged', 1600), attempt(3, 'failed', 4000), attempt(4, 'acknowledged', 9000)];
    expect(serviceGaps(attempts, 1500).rtoSeconds).toBe(7.5);
  });

  it('says RTO 0 when no write failed after the fault, and undefined when none succeeded', () => {
    expect(serviceGaps([attempt(1, 'acknowledged', 0), attempt(2, 'acknowledged', 1000)], 500).rtoSeconds).toBe(0);
    expect(serviceGaps([attempt(1, 'acknowledged', 0), attempt(2, 'failed', 1000)], 500).rtoSeconds).toBeUndefined();
  });
});
