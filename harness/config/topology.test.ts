import { describe, expect, it } from 'vitest';
import { DEFAULT_TOPOLOGY_FILE, loadTopology, validateTopology } from './topology.js';

const good = () => structuredClone(loadTopology()) as any;

/** Applies one change to the shipped topology and returns the refusal line. */
function refusal(change: (t: any) => void): string {
  const t = good();
  change(t);
  try {
    validateTopology(t, 'topology.json');
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('the topology was accepted');
}

describe('topology', () => {
  it('loads the shipped file and derives netmask, ping node and roles', () => {
    const t = loadTopology(DEFAULT_TOPOLOGY_FILE);
    expect(t.netmask).toBe('255.255.255.0');
    expect(t.pingNode).toBe('192.168.211.2');
    expect(t.primary.name).toBe('linux01');
    expect(t.secondary.address).toBe('192.168.211.129');
  });

  it.each([
    ['an unparsable address', (t: any) => (t.nodes[1].address = '192.168.211.300'),
      'topology.json: nodes[1].address = "192.168.211.300": is not an IPv4 address'],
    ['a VIP outside the subnet', (t: any) => (t.network.vip = '10.0.0.120'),
      'topology.json: network.vip = "10.0.0.120": is not a host address in 192.168.211.0/24'],
    ['the broadcast address', (t: any) => (t.network.vip = '192.168.211.255'), 'network.vip = "192.168.211.255"'],
    ['duplicate node names', (t: any) => (t.nodes[1].name = 'linux01'),
      'nodes[1].name = "linux01": is a duplicate node name'],
    ['a node on the VIP', (t: any) => (t.nodes[0].address = '192.168.211.120'),
      'nodes[0].address = "192.168.211.120": is already used by network.vip'],
    ['an LV larger than the disk', (t: any) => (t.lvm.lvMiB = 512),
      'lvm.lvMiB = 512: LV plus one extent for DRBD metadata needs 17 extents of 32 MiB, but vm.dataDiskMiB = 512 holds only 15'],
    ['an LV filling the disk, with no extent left to grow', (t: any) => (t.lvm.lvMiB = 480), 'needs 16 extents'],
    ['an LV not made of whole extents', (t: any) => (t.lvm.lvMiB = 300), 'must be a multiple of lvm.extentMiB (32)'],
    ['a bad CIDR', (t: any) => (t.network.cidr = '192.168.211.5/24'), 'network.cidr = "192.168.211.5/24"'],
    ['three nodes', (t: any) => t.nodes.push({ name: 'linux03', address: '192.168.211.130' }), 'nodes = '],
    ['a node name with a domain', (t: any) => (t.nodes[0].name = 'linux01.lab'), 'nodes[0].name = "linux01.lab"'],
    ['a datadir off the DRBD mount', (t: any) => (t.mysql.datadir = '/var/lib/mysql'),
      'mysql.datadir = "/var/lib/mysql": must lie under mysql.mountPoint (/data)'],
    ['a missing field', (t: any) => delete t.drbd.port, 'drbd.port = undefined: must be a whole number'],
  ])('refuses %s, naming field and value', (_, change, expected) => {
    const message = refusal(change);
    expect(message).toContain(expected);
    expect(message.split('\n')).toHaveLength(1);
  });

  it('names the file when it cannot be read', () => {
    expect(() => loadTopology('/nonexistent/topology.json')).toThrow(/^\/nonexistent\/topology.json: cannot read topology/);
  });
});
