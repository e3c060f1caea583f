import { describe, expect, it } from 'vitest';
import { planVolatileDisks } from './volatile-disks.js';
import type { ResolvedTopology } from '../../config/topology.js';

describe('planVolatileDisks', () => {
  it('names each node\'s disk after its VM: a socket where nbdkit serves it, the file under the lab\'s own /var/lib directory', () => {
    const topology = { prefix: 'ha-lab', nodes: [{ name: 'linux01' }, { name: 'linux02' }] } as ResolvedTopology;
    expect(planVolatileDisks(topology, 'ha-lab-', '/run/d')).toEqual({
      linux01: { domain: 'ha-lab-linux01', socket: '/run/d/ha-lab-linux01.sock', file: '/var/lib/ha-lab/volatile/ha-lab-linux01-data.raw' },
      linux02: { domain: 'ha-lab-linux02', socket: '/run/d/ha-lab-linux02.sock', file: '/var/lib/ha-lab/volatile/ha-lab-linux02-data.raw' },
    });
  });
});
