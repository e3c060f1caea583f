/**
 * V2 and V3, the guide's own test: stop heartbeat on linux01; linux02 takes the VIP, DRBD,
 * the mount and MariaDB, and serves the blog; start heartbeat on linux01 again and
 * auto_failback brings everything home. A write ledger runs through both moves.
 */
import { describe, expect, it } from 'vitest';
import { expectedPath, holdsAll, pathIn, stopHeartbeat } from '../harness/index.js';
import { useLab } from './support/fixture.js';
import { expectBlogIntact, expectBlogServedBy, expectSignOff, scenario } from './support/scenario-checks.js';

const lab = useLab();
/** The path the fault must take, per profile (outage budgets: about twice the longest measured). */
const PATHS = { guide: expectedPath('linux02', 'no-divergence', 150), hardened: expectedPath('linux02', 'no-divergence', 150, false) };

describe('V2, V3: failover when heartbeat stops on linux01, and auto_failback', () => {
  it('linux02 takes over with every row, serves the blog, and the service returns to linux01', async () => {
    const { primary, secondary, topology } = lab.cluster;
    const run = await scenario(lab, {
      id: 'S1',
      name: 'failover: heartbeat stopped',
      fault: stopHeartbeat(),
      awaitFailover: true,
      whileFaulted: async (host) => {
        expect(host, 'server on the VIP after heartbeat stopped on linux01').toBe(secondary.name);
        expect(holdsAll(await lab.cluster.holdings(secondary), topology.mysql.datadir), 'linux02 holds VIP, Primary, mount and mysqld on /data/mysql').toBe(true);
        await expectBlogIntact(lab, 'on linux02');
        await expectBlogServedBy(lab, secondary.name);
      },
      endsOn: primary.name,
      path: pathIn(PATHS, lab.cluster.run.profile, 'S1'),
    });
    await expectSignOff(run);
    await expectBlogIntact(lab, 'after failback');
    await expectBlogServedBy(lab, primary.name);
  });
});
