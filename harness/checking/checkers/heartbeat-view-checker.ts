import type { CheckResult } from './checker.js';

/**
 * After SIGKILL of heartbeat on the serving node: what the peer's heartbeat made of it, from its
 * ha-log since the kill. A takeover that fails at drbddisk (the killed node is still DRBD
 * Primary) yet is recorded as done leaves the peer's view wrong until heartbeat restarts there:
 * HB-KILL-1 (UNSAFE for availability), with the log lines as evidence.
 */
export function killedHeartbeatViewCheck(peerLogSinceKill: string, killed = 'linux01', peer = 'linux02'): CheckResult {
  const failedTakeover = /Giving up resources due to failure of drbddisk/.test(peerLogSinceKill);
  const believesAcquired = /foreign resources acquired/.test(peerLogSinceKill);
  const findings = failedTakeover && believesAcquired ? [{
    id: 'HB-KILL-1',
    message: `after SIGKILL of heartbeat on ${killed}, ${killed} keeps serving without a cluster manager; ${peer}'s takeover fails at ` +
      `drbddisk (${killed} is still DRBD Primary) yet ${peer}'s heartbeat records the foreign resources as acquired: its view stays ` +
      `wrong until heartbeat restarts there (a later failure of ${killed} may not be failed over), and no fencing in the guide resolves it`,
    evidence: peerLogSinceKill.split('\n').filter((l) => /drbddisk|Giving up|foreign|dead/.test(l)).join('\n'),
  }] : [];
  return { checker: `availability: ${peer}'s heartbeat view after the takeover (ha-log)`, valid: !findings.length, findings, evidence: { failedTakeover, believesAcquired } };
}
