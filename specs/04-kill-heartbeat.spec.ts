/**
 * The design card's "kill heartbeat": SIGKILL of every heartbeat process on linux01, so that
 * nothing is released. linux02 declares linux01 dead after deadtime; the safety invariants
 * must hold whatever it then does. What linux02's heartbeat made of it is reported: a takeover
 * that fails at drbddisk (linux01 is still DRBD Primary) but is recorded as done is the named
 * finding HB-KILL-1.
 */
import * as allure from 'allure-js-commons';
import { describe, it } from 'vitest';
import { killHeartbeat, log, type Fault } from '../harness/index.js';
import { useLab } from './support/fixture.js';
import { expectBlogIntact, expectSafe, scenario } from './support/scenario-checks.js';

const lab = useLab();

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
      name: 'fault: heartbeat SIGKILL',
      fault,
      awaitFailover: false,
      whileFaulted: async () => {
        takeoverLog = await secondary.heartbeat.log(peerLogFrom);
        await allure.attachment('linux02 ha-log after the kill', takeoverLog, 'text/plain');
      },
      endsOn: primary.name,
    });
    const failedTakeover = /Giving up resources due to failure of drbddisk/.test(takeoverLog);
    const believesAcquired = /foreign resources acquired/.test(takeoverLog);
    if (failedTakeover && believesAcquired) {
      const finding = 'HB-KILL-1: after SIGKILL of heartbeat on linux01, linux01 keeps serving without a cluster manager; ' +
        "linux02's takeover fails at drbddisk (linux01 is still DRBD Primary) yet linux02's heartbeat records the foreign " +
        "resources as acquired: its view of who holds what stays wrong until heartbeat restarts there, and with no fencing " +
        "in the guide's configuration nothing resolves it (the harness restarts heartbeat on both nodes before each scenario)";
      log('finding', finding);
      await allure.label('tag', 'finding HB-KILL-1');
      await allure.step(finding, async () => {
        await allure.attachment('evidence: linux02 ha-log lines', takeoverLog.split('\n').filter((l) => /drbddisk|Giving up|foreign|dead/.test(l)).join('\n'), 'text/plain');
      });
    }
    // The finding is reported first; the composed verdict still decides the spec.
    expectSafe(run);
    await expectBlogIntact(lab, 'after the kill and heartbeat restart');
  });
});
