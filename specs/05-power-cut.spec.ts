/**
 * Power cut of linux01: the VM destroyed without shutdown, then booted again. linux02 takes
 * over after deadtime; linux01 returns (boot, `drbdadm up`, heartbeat start, as its boot would
 * in production) and auto_failback brings the service home after the resync.
 */
import { describe, expect, it } from 'vitest';
import { boot, crash, startHeartbeat, waitFor } from '../harness/index.js';
import { useLab } from './support/fixture.js';
import { expectBlogIntact, expectSafety, scenario } from './support/scenario-checks.js';

const lab = useLab();

describe('Fault: power cut of linux01', () => {
  it('linux02 serves every row; linux01 boots, resyncs and takes the service back', async () => {
    const { primary, secondary } = lab.cluster;
    const result = await scenario(lab, 'fault: power cut', {
      fault: () => crash(primary),
      whileFailedOver: async (host) => {
        expect(host, 'server on the VIP after linux01 lost power').toBe(secondary.name);
        await expectBlogIntact(lab, 'on linux02 after the power cut');
      },
      returnPrimary: async () => {
        await boot(primary);
        // Generous: the guest boots under TCG while linux02 serves the ledger's writes.
        await waitFor('linux01 answers SSH after boot', () => primary.reconnect(20), { timeoutSeconds: 480, intervalSeconds: 5 });
        await primary.succeed(`drbdadm up ${lab.p.t.drbd.resource}`);
        await startHeartbeat(primary);
      },
    });
    expectSafety(result);
    expect(result.endedOn, 'where the service ended (auto_failback)').toBe(primary.name);
    await expectBlogIntact(lab, 'after the power cut and failback');
  });
});
