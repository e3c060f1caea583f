import { describe, expect, it } from 'vitest';
import { killedHeartbeatViewCheck } from './heartbeat-view-checker.js';

const FAILED = 'ResourceManager(default)[1]: ERROR: Return code 1 from /etc/ha.d/resource.d/drbddisk\nheartbeat[1]: info: Giving up resources due to failure of drbddisk';
const ACQUIRED = 'heartbeat[1]: info: foreign resources acquired';

describe('killedHeartbeatViewCheck', () => {
  it('is HB-KILL-1 when the takeover failed at drbddisk yet heartbeat believes it acquired the resources, with the log lines', () => {
    const result = killedHeartbeatViewCheck(`${FAILED}\nnoise\n${ACQUIRED}`);
    expect(result).toMatchObject({ valid: false, findings: [{ id: 'HB-KILL-1' }] });
    expect(result.findings[0].evidence).toBe(`${FAILED}\n${ACQUIRED}`);
    expect(result.checker).toBe("availability: linux02's heartbeat view after the takeover (ha-log)");
  });

  it('is valid when either half is missing', () => {
    expect(killedHeartbeatViewCheck(FAILED).valid).toBe(true);
    expect(killedHeartbeatViewCheck(ACQUIRED).valid).toBe(true);
    expect(killedHeartbeatViewCheck('').findings).toEqual([]);
  });

  it('says which node kept serving and which one holds the wrong view, with what it read', () => {
    const result = killedHeartbeatViewCheck(`${FAILED}\n${ACQUIRED}`, 'alpha', 'beta');
    expect(result.checker).toBe("availability: beta's heartbeat view after the takeover (ha-log)");
    expect(result.findings[0].message).toBe("after SIGKILL of heartbeat on alpha, alpha keeps serving without a cluster manager; beta's takeover fails at drbddisk (alpha is still DRBD Primary) yet beta's heartbeat records the foreign resources as acquired: its view stays wrong until heartbeat restarts there (a later failure of alpha may not be failed over), and no fencing in the guide resolves it");
    expect(result.evidence).toEqual({ failedTakeover: true, believesAcquired: true });
    expect(killedHeartbeatViewCheck(FAILED).evidence).toEqual({ failedTakeover: true, believesAcquired: false });
    expect(killedHeartbeatViewCheck(`${FAILED}\n${ACQUIRED}`).findings[0].message).toMatch(/^after SIGKILL of heartbeat on linux01, linux01 keeps serving/);
  });
});

