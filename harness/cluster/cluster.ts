import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Lab } from '../lab/lab.js';
import { LabNode } from '../node/node.js';
import type { ResolvedTopology } from '../topology/topology.js';
import type { SshEndpoint } from '../vagrant/ssh-config.js';
import { PROJECT_DIR, Vagrant } from '../vagrant/vagrant.js';

/** Written by the orchestrator once the VMs are up; read by the specs to attach. */
export interface ClusterInfo {
  topology: ResolvedTopology;
  endpoints: Record<string, SshEndpoint>;
  lab: { kind: Lab['kind']; namespace?: string };
}

export const CLUSTER_INFO_FILE = join(PROJECT_DIR, '.halab', 'cluster.json');

/** Defined but not running: the only thing to do with it is start it. */
export class StoppedCluster {
  constructor(readonly topology: ResolvedTopology, private readonly lab: Lab, private readonly vagrant: Vagrant) {}

  /** `vagrant up` of every node; returns what the specs need to reach them. */
  async start(): Promise<ClusterInfo> {
    await this.vagrant.up();
    const endpoints = await this.vagrant.sshConfig();
    for (const node of this.topology.nodes) {
      if (!endpoints.has(node.name)) throw new Error(`vagrant ssh-config has no entry for ${node.name}`);
    }
    const info: ClusterInfo = {
      topology: this.topology,
      endpoints: Object.fromEntries(endpoints),
      lab: { kind: this.lab.kind, namespace: this.lab.namespace },
    };
    mkdirSync(dirname(CLUSTER_INFO_FILE), { recursive: true });
    writeFileSync(CLUSTER_INFO_FILE, JSON.stringify(info, null, 2));
    return info;
  }

  /** Removes the VMs (and their disks) whatever state they are in. */
  destroy(): Promise<void> {
    return this.vagrant.destroy();
  }
}

/** Running, with one open SSH connection per node. */
export class StartedCluster {
  private constructor(readonly topology: ResolvedTopology, readonly nodes: Map<string, LabNode>) {}

  /** Attaches to the running cluster described by the orchestrator (inside the lab). */
  static async attach(file = process.env.HALAB_CLUSTER_JSON ?? CLUSTER_INFO_FILE): Promise<StartedCluster> {
    let info: ClusterInfo;
    try {
      info = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new Error(`no running lab cluster (${file}: ${(error as Error).message}); start one with \`npm run e2e\``);
    }
    const nodes = new Map<string, LabNode>();
    await Promise.all(info.topology.nodes.map(async (spec) => {
      nodes.set(spec.name, await LabNode.connect(spec.name, spec.address, info.endpoints[spec.name]));
    }));
    return new StartedCluster(info.topology, nodes);
  }

  node(name: string): LabNode {
    const node = this.nodes.get(name);
    if (!node) throw new Error(`no node ${name} in the cluster (nodes: ${[...this.nodes.keys()].join(', ')})`);
    return node;
  }

  /** The node the guide prepares first and that heartbeat prefers (linux01). */
  get primary(): LabNode {
    return this.node(this.topology.primary.name);
  }

  get secondary(): LabNode {
    return this.node(this.topology.secondary.name);
  }

  /** Runs a check on every node at once, in topology order. */
  each<T>(fn: (node: LabNode) => Promise<T>): Promise<T[]> {
    return Promise.all(this.topology.nodes.map((spec) => fn(this.node(spec.name))));
  }

  close(): void {
    for (const node of this.nodes.values()) node.dispose();
  }
}
