/**
 * V0 again at the end of the run: after every fault, recovery and revert, the configuration in
 * force still meets the guide's requirements table (a recovery must not leave a changed cluster).
 */
import { describe, it } from 'vitest';
import { log } from '../harness/index.js';
import { expectConfigAudit } from './support/config-audit.js';
import { useLab } from './support/fixture.js';

const lab = useLab();

describe('V0: the deployed configuration at the end of the run', () => {
  it('linux01 serves again and the configuration in force still meets the guide\'s requirements table', async () => {
    // Whichever spec ran last may have left the group on linux02 (an accepted SERVICE-END): heartbeat
    // restarted on both, secondary first, as the set-up does, puts it home without touching the configuration.
    for (const intervention of await lab.cluster.establishSteadyState({ freshHeartbeat: true })) log('finding', `${intervention.id}: ${intervention.message}`);
    await expectConfigAudit(lab, 'end-of-run');
  });
});
