/**
 * Power cut of linux01: the VM destroyed without shutdown, then booted again. linux02 takes
 * over after deadtime; linux01 boots and is left alone for 20 s, and what it starts by itself is
 * judged (the guide's configuration enables neither DRBD nor heartbeat at boot: BOOT-NO-REJOIN);
 * then the operator's return steps (`drbdadm up`, heartbeat start), recorded as operator
 * operations, and auto_failback brings the service home after the resync.
 */
import { describe, expect, it } from 'vitest';
import { expectedPath, pathIn, powerCut } from '../harness/index.js';
import { useLab } from './support/fixture.js';
import { expectBlogIntact, expectSignOff, scenario } from './support/scenario-checks.js';

const lab = useLab();
/** The path the fault must take, per profile (outage budgets: about twice the longest measured). */
const PATHS = { guide: expectedPath('linux02', 'no-divergence', 120), hardened: expectedPath('linux02', 'no-divergence', 130, true) };

describe('Fault: power cut of linux01', () => {
  it('linux02 serves every row; linux01 boots, resyncs and takes the service back', async () => {
    const { primary, secondary } = lab.cluster;
    const run = await scenario(lab, {
      id: 'S3',
      name: 'fault: power cut',
      fault: powerCut(),
      awaitFailover: true,
      whileFaulted: async (host) => {
        expect(host, 'server on the VIP after linux01 lost power').toBe(secondary.name);
        await expectBlogIntact(lab, 'on linux02 after the power cut');
      },
      endsOn: primary.name,
      path: pathIn(PATHS, lab.cluster.run.profile, 'S3'),
    });
    await expectSignOff(run);
    await expectBlogIntact(lab, 'after the power cut and failback');
  });
});
