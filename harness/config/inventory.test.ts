import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { inventoryTopology, loadInventory } from './inventory.js';
import { loadTopology } from './topology.js';

const dir = mkdtempSync(join(tmpdir(), 'halab-inventory-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const valid = {
  nodes: [
    { name: 'db-a', address: '10.20.0.11', ssh: { user: 'audit', key: 'keys/id_ed25519' } },
    { name: 'db-b', address: '10.20.0.12', ssh: { host: 'db-b.example', port: 2222, user: 'audit', key: '/etc/audit/key' } },
  ],
  vip: '10.20.0.50', interface: 'bond0', pingNode: '10.20.0.1',
  drbd: { resource: 'shopdb', device: '/dev/drbd1' },
  mysql: { user: 'auditor', passwordFile: 'mysql.password', database: 'shop', mountPoint: '/srv/mysql', datadir: '/srv/mysql/mysql' },
  acceptance: 'accepted.json',
};
const write = (name: string, content: unknown) => {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(content));
  return file;
};

describe('loadInventory', () => {
  it('reads the nodes, resolves the key, password and acceptance files beside the inventory, and defaults SSH to the address, port 22', () => {
    const inventory = loadInventory(write('shop.json', valid));
    expect(inventory.nodes[0].ssh).toEqual({ host: '10.20.0.11', port: 22, user: 'audit', key: join(dir, 'keys/id_ed25519') });
    expect(inventory.nodes[1].ssh).toEqual({ host: 'db-b.example', port: 2222, user: 'audit', key: '/etc/audit/key' });
    expect(inventory.mysql.passwordFile).toBe(join(dir, 'mysql.password'));
    expect(inventory.acceptanceFile).toBe(join(dir, 'accepted.json'));
  });

  it.each([
    [{ ...valid, vip: '10.20.0' }, /vip = "10.20.0": is not an IPv4 address/],
    [{ ...valid, nodes: [valid.nodes[0]] }, /nodes = .*must list the two nodes/],
    [{ ...valid, mysql: { ...valid.mysql, password: 'x' } }, /mysql.password = "x": unknown key/],
    [{ ...valid, nodes: [valid.nodes[0], valid.nodes[0]] }, /nodes\[1\].name = "db-a": the two nodes need two names/],
  ])('refuses a bad inventory naming the field (%#)', (content, message) => {
    expect(() => loadInventory(write('bad.json', content))).toThrow(message);
  });

  it('refuses a file that is not JSON, naming it', () => {
    writeFileSync(join(dir, 'broken.json'), '{ nodes');
    expect(() => loadInventory(join(dir, 'broken.json'))).toThrow(/broken\.json: cannot read the inventory/);
  });
});

describe('inventoryTopology', () => {
  it('puts the inventory\'s names, addresses and paths over the lab\'s topology', () => {
    const t = inventoryTopology(loadInventory(write('shop.json', valid)), loadTopology());
    expect(t.nodes).toEqual([{ name: 'db-a', address: '10.20.0.11' }, { name: 'db-b', address: '10.20.0.12' }]);
    expect(t.primary.name).toBe('db-a');
    expect(t.network).toMatchObject({ vip: '10.20.0.50', interface: 'bond0', hostAddress: '10.20.0.1' });
    expect(t.pingNode).toBe('10.20.0.1');
    expect(t.drbd).toMatchObject({ resource: 'shopdb', device: '/dev/drbd1' });
    expect(t.mysql).toMatchObject({ database: 'shop', mountPoint: '/srv/mysql', datadir: '/srv/mysql/mysql' });
  });
});
