/** V1 and V4 on the running cluster: who owns what, and both disks UpToDate. */
import * as allure from 'allure-js-commons';
import { describe, expect, it } from 'vitest';
import { drbdState, establishSteadyState, ownership, procDrbd, servedBy } from '../harness/index.js';
import { useLab } from './support/fixture.js';

const lab = useLab();

describe('V1, V4: steady state', () => {
  it('V1: linux01 owns the VIP, DRBD Primary, /dev/drbd0 on /data and mysqld on /data/mysql; linux02 owns none', async () => {
    const { primary, secondary } = lab.cluster;
    await establishSteadyState(primary, secondary, lab.p.t);
    const [p, s] = await Promise.all([ownership(primary, lab.p.t), ownership(secondary, lab.p.t)]);
    await allure.attachment('ownership', JSON.stringify([p, s], null, 2), 'application/json');
    expect(p).toEqual({ node: 'linux01', vip: true, drbdPrimary: true, mounted: true, mysqld: true, datadir: lab.p.t.mysql.datadir });
    expect(s).toEqual({ node: 'linux02', vip: false, drbdPrimary: false, mounted: false, mysqld: false, datadir: undefined });
    expect(await servedBy(lab.pool)).toBe('linux01');
  });

  it('V4: both disks are UpToDate/UpToDate and connected', async () => {
    const states = await lab.cluster.each((node) => drbdState(node, lab.p.t));
    for (const node of [lab.cluster.primary, lab.cluster.secondary]) await allure.attachment(`${node.name}: /proc/drbd`, await procDrbd(node), 'text/plain');
    expect(states.map((s) => [s.cs, s.disk.local, s.disk.peer])).toEqual([['Connected', 'UpToDate', 'UpToDate'], ['Connected', 'UpToDate', 'UpToDate']]);
    expect(states.map((s) => s.role.local)).toEqual(['Primary', 'Secondary']);
  });
});
