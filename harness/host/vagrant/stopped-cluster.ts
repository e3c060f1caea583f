import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ClusterInfo } from '../../cluster/cluster.js';
import type { ResolvedTopology } from '../../config/topology.js';
import type { RunContext } from '../../config/run-context.js';
import { log } from '../../support/log.js';
import { CLUSTER_FILE } from '../../support/paths.js';
import type { LabSettings } from './lab-settings.js';
import type { Vagrant } from './vagrant.js';

/**
 * Defined but not running: the only thing to do with it is start it. Starting writes the
 * cluster file that `StartedCluster.attach()` reads inside the lab.
 */
export class StoppedCluster {
  constructor(readonly topology: ResolvedTopology, readonly settings: LabSettings, private readonly vagrant: Vagrant) {}

  /** `vagrant up` of every node, then the cluster file with this run's context. */
  async start(run: RunContext): Promise<ClusterInfo> {
    await this.vagrant.up();
    log('vagrant', 'up: done; asking vagrant how to reach the nodes (ssh-config)');
    return this.describe(run);
  }

  /** Writes the cluster file (how to reach each node, and this run's context) for VMs that run, from what vagrant says now. */
  async describe(run: RunContext): Promise<ClusterInfo> {
    const endpoints = await this.vagrant.sshConfig();
    const nodes: ClusterInfo['nodes'] = {};
    for (const node of this.topology.nodes) {
      const endpoint = endpoints.get(node.name);
      if (!endpoint) throw new Error(`vagrant ssh-config has no entry for ${node.name}`);
      nodes[node.name] = { endpoint, domain: `${this.settings.libvirt.domainPrefix}${node.name}` };
    }
    const info: ClusterInfo = { topology: this.topology, nodes, run };
    mkdirSync(dirname(CLUSTER_FILE), { recursive: true });
    writeFileSync(CLUSTER_FILE, JSON.stringify(info, null, 2));
    return info;
  }

  /** Removes the VMs (and their disks) whatever state they are in. */
  destroy(): Promise<void> {
    return this.vagrant.destroy();
  }
}
