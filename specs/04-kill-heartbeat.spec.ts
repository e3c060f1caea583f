/**
 * The design card's "kill heartbeat": SIGKILL of every heartbeat process on linux01, so that
 * nothing is released. linux02 declares linux01 dead after deadtime; the safety invariants
 * must hold whatever it then does. What linux02's heartbeat made of it is reported: a takeover
 * that fails at drbddisk (linux01 is still DRBD Primary) but is recorded as done is the named
 * finding HB-KILL-1.
 */
import * as allure from 'allure-js-commons';
import { describe, it } from 'vitest';
import { type CheckResult, type Fault, killHeartbeat, log, pathIn } from '../harness/index.js';
import { path } from './support/catalogue-entries.js';
import { useLab } from './support/fixture.js';
import { expectBlogIntact, expectSignOff, scenario } from './support/scenario-checks.js';

const lab = useLab();
/** The path the fault must take, per profile (outage budgets: about twice the longest measured). */
const PATHS = { guide: path('none', 'no-divergence', 30), hardened: path('linux02', 'no-divergence', 200, true) };

describe('Fault: SIGKILL of heartbeat on linux01', () => {
  it('never two owners, no acknowledged write lost; the service comes home when heartbeat restarts', async () => {
    const { primary, secondary } = lab.cluster;
    const kill = killHeartbeat();
    let peerLogFrom = 1;
    // The kill, with a bookmark in linux02's ha-log first: what linux02 logs from then on is the evidence.
    const fault: Fault = { ...kill, start: async (ctx, nodes) => {
      peerLogFrom = (await secondary.heartbeat.logLines()) + 1;
      await kill.start(ctx, nodes);
    } };
    let takeoverLog = '';
    const run = await scenario(lab, {
      id: 'S2',
      name: 'fault: heartbeat SIGKILL',
      fault,
      awaitFailover: false,
      whileFaulted: async () => {
        takeoverLog = await secondary.heartbeat.log(peerLogFrom);
        await allure.attachment('linux02 ha-log after the kill', takeoverLog, 'text/plain');
      },
      endsOn: primary.name,
      path: pathIn(PATHS, lab.cluster.run.profile, 'S2'),
    });
    const failedTakeover = /Giving up resources due to failure of drbddisk/.test(takeoverLog);
    const believesAcquired = /foreign resources acquired/.test(takeoverLog);
    const findings = failedTakeover && believesAcquired ? [{
      id: 'HB-KILL-1',
      message: "after SIGKILL of heartbeat on linux01, linux01 keeps serving without a cluster manager; linux02's takeover fails at " +
        "drbddisk (linux01 is still DRBD Primary) yet linux02's heartbeat records the foreign resources as acquired: its view stays " +
        'wrong until heartbeat restarts there (a later failure of linux01 may not be failed over), and no fencing in the guide resolves it',
      evidence: takeoverLog.split('\n').filter((l) => /drbddisk|Giving up|foreign|dead/.test(l)).join('\n'),
    }] : [];
    for (const finding of findings) log('finding', `${finding.id}: ${finding.message}`);
    const extra: CheckResult[] = [{ checker: "availability: linux02's heartbeat view after the takeover (ha-log)", valid: !findings.length, findings, evidence: {} }];
    await expectSignOff(run, extra);
    await expectBlogIntact(lab, 'after the kill and heartbeat restart');
  });
});
