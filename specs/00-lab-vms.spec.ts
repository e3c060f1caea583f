/**
 * The ground every later spec stands on: two real VMs from the Vagrantfile, on the lab network,
 * with the data disk and the guide's software in place.
 */
import { readFileSync } from 'node:fs';
import * as allure from 'allure-js-commons';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StartedCluster } from '../harness/index.js';

let cluster: StartedCluster;

beforeAll(async () => {
  cluster = await StartedCluster.attach();
  await allure.attachment('lab timings.json', readFileSync(cluster.reports.timings), 'application/json');
});
afterAll(() => cluster?.close());

describe('Lab: the two VMs', () => {
  it('both nodes answer over SSH with `uname -n` equal to their heartbeat node name', async () => {
    const names = await cluster.each(async (node) => {
      const name = (await node.succeed('uname -n')).trim();
      await allure.attachment(`${node.name}: uname -n`, name, 'text/plain');
      return name;
    });
    expect(names).toEqual(cluster.topology.nodes.map((n) => n.name));
  });

  it('the lab addresses ping each other and the ping node', async () => {
    const { primary, secondary, topology } = cluster;
    for (const [from, to] of [[primary, secondary.address], [secondary, primary.address], [primary, topology.pingNode]] as const) {
      await allure.step(`${from.name} → ${to}`, async () => {
        const out = await from.succeed(`ping -c 2 -W 2 ${to}`);
        await allure.attachment(`ping ${from.name} → ${to}`, out, 'text/plain');
        expect(out).toMatch(/ 0% packet loss/);
      });
    }
  });

  it('each node has the data disk for VG, of the configured size', async () => {
    const expectedBytes = cluster.topology.vm.dataDiskMiB * 1024 * 1024;
    const sizes = await cluster.each(async (node) => Number((await node.succeed('blockdev --getsize64 /dev/disk/by-id/virtio-halab-data')).trim()));
    expect(sizes).toEqual([expectedBytes, expectedBytes]);
  });

  it('the DRBD module loads and /proc/drbd shows its version', async () => {
    const versions = await cluster.each(async (node) => {
      const procDrbd = await node.succeed('modprobe drbd && cat /proc/drbd');
      await allure.attachment(`${node.name}: /proc/drbd`, procDrbd, 'text/plain');
      return procDrbd.split('\n')[0];
    });
    for (const line of versions) expect(line).toMatch(/^version: 8\.4\.\d+/);
  });

  it('heartbeat, drbd-utils and MariaDB are installed', async () => {
    const packages = ['heartbeat', 'drbd-utils', 'mariadb-server', 'mariadb-client', 'lvm2', 'wordpress', 'nginx', 'php-fpm'];
    await cluster.each(async (node) => {
      const out = await node.succeed(`dpkg-query -W -f '\${Package} \${Version} \${db:Status-Status}\\n' ${packages.join(' ')}`);
      await allure.attachment(`${node.name}: packages`, out, 'text/plain');
      const installed = out.trim().split('\n').filter((line) => line.endsWith(' installed')).map((line) => line.split(' ')[0]);
      expect(installed.sort()).toEqual([...packages].sort());
    });
  });
});
