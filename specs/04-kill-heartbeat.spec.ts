/**
 * The design card's "kill heartbeat": SIGKILL of every heartbeat process on linux01, so that
 * nothing is released. linux02 declares linux01 dead after deadtime; the safety invariants
 * must hold whatever it then does. Where the service ends up is reported.
 */
import * as allure from 'allure-js-commons';
import { describe, it } from 'vitest';
import { killHeartbeat, startHeartbeat } from '../harness/faults/faults.js';
import { useLab } from './support/fixture.js';
import { expectBlogIntact, expectSafety, scenario } from './support/scenario-checks.js';

const lab = useLab();

/** Long enough for linux02 to pass deadtime and finish (or give up) its takeover. */
const OBSERVE_SECONDS = 60;

describe('Fault: SIGKILL of heartbeat on linux01', () => {
  it('never two owners, no acknowledged write lost; the service comes home when heartbeat restarts', async () => {
    const { primary, secondary } = lab.cluster;
    const result = await scenario(lab, 'fault: heartbeat SIGKILL', {
      fault: async () => {
        await allure.attachment('heartbeat processes killed', await killHeartbeat(primary), 'text/plain');
        await new Promise((resolve) => setTimeout(resolve, OBSERVE_SECONDS * 1000));
        await allure.attachment('linux02 ha-log after the kill', await secondary.succeed('tail -n 40 /var/log/ha-log'), 'text/plain');
      },
      returnPrimary: () => startHeartbeat(primary),
    });
    expectSafety(result);
    await expectBlogIntact(lab, 'after the kill and heartbeat restart');
  });
});
