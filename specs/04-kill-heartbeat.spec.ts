/**
 * The design card's "kill heartbeat": SIGKILL of every heartbeat process on linux01, so that
 * nothing is released. linux02 declares linux01 dead after deadtime; the safety invariants
 * must hold whatever it then does. What linux02's heartbeat made of it is reported: a takeover
 * that fails at drbddisk (linux01 is still DRBD Primary) but is recorded as done is the named
 * finding HB-KILL-1.
 */
import * as allure from 'allure-js-commons';
import { describe, it } from 'vitest';
import { expectedPath, type Fault, killHeartbeat, killedHeartbeatViewCheck, log, pathIn } from '../harness/index.js';
import { useLab } from './support/fixture.js';
import { expectBlogIntact, expectSignOff, scenario } from './support/scenario-checks.js';

const lab = useLab();
/** The path the fault must take, per profile (outage budgets: about twice the longest measured). */
const PATHS = { guide: expectedPath('none', 'no-divergence', 30), hardened: expectedPath('linux02', 'no-divergence', 200, true) };

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
      // Long enough for linux02 to pass deadtime and act.
      holdSeconds: 60,
      awaitFailover: false,
      whileFaulted: async () => {
        takeoverLog = await secondary.heartbeat.log(peerLogFrom);
        await allure.attachment('linux02 ha-log after the kill', takeoverLog, 'text/plain');
      },
      endsOn: primary.name,
      path: pathIn(PATHS, lab.cluster.run.profile, 'S2'),
    });
    // HB-KILL-1: linux02's takeover failed at drbddisk yet its heartbeat believes it holds the group.
    const extra = [killedHeartbeatViewCheck(takeoverLog, primary.name, secondary.name)];
    for (const finding of extra[0].findings) log('finding', `${finding.id}: ${finding.message}`);
    await expectSignOff(run, extra);
    await expectBlogIntact(lab, 'after the kill and heartbeat restart');
  });
});
