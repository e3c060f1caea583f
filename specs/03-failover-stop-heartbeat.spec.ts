/**
 * V2 and V3, the guide's own test: stop heartbeat on linux01; linux02 takes the VIP, DRBD,
 * the mount and MariaDB, and serves the blog; start heartbeat on linux01 again and
 * auto_failback brings everything home. A write ledger runs through both moves.
 */
import { describe, expect, it } from 'vitest';
import { ownership, ownsAll, startHeartbeat, stopHeartbeat } from '../harness/index.js';
import { useLab } from './support/fixture.js';
import { expectBlogIntact, expectBlogServedBy, expectSafety, scenario } from './support/scenario-checks.js';

const lab = useLab();

describe('V2, V3: failover when heartbeat stops on linux01, and auto_failback', () => {
  it('linux02 takes over with every row, serves the blog, and the service returns to linux01', async () => {
    const { primary, secondary } = lab.cluster;
    const result = await scenario(lab, 'failover: heartbeat stopped', {
      fault: () => stopHeartbeat(primary),
      whileFailedOver: async (host) => {
        expect(host, 'server on the VIP after heartbeat stopped on linux01').toBe(secondary.name);
        expect(ownsAll(await ownership(secondary, lab.p.t), lab.p.t), 'linux02 holds VIP, Primary, mount and mysqld on /data/mysql').toBe(true);
        await expectBlogIntact(lab, 'on linux02');
        await expectBlogServedBy(lab, secondary.name);
      },
      returnPrimary: () => startHeartbeat(primary),
    });
    expectSafety(result);
    expect(result.endedOn, 'where the service ended (auto_failback)').toBe(primary.name);
    await expectBlogIntact(lab, 'after failback');
    await expectBlogServedBy(lab, primary.name);
  });
});
