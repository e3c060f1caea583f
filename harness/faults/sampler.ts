import { ownership, type Ownership } from '../heartbeat/owners.js';
import type { LabNode } from '../node/node.js';
import type { ResolvedTopology } from '../topology/topology.js';

export type Resource = 'vip' | 'drbdPrimary' | 'mysqld';
const EXCLUSIVE: Resource[] = ['vip', 'drbdPrimary', 'mysqld'];

export interface Sample {
  at: number;
  /** One per node; a node that does not answer (powered off) holds nothing and is marked so. */
  owners: (Ownership & { reachable: boolean })[];
}

export interface Violation {
  at: number;
  resource: Resource;
  nodes: string[];
}

/** Moments where two nodes held the same exclusive resource: must never happen. */
export function doubleOwnership(samples: readonly Sample[]): Violation[] {
  const violations: Violation[] = [];
  for (const sample of samples) {
    for (const resource of EXCLUSIVE) {
      const holders = sample.owners.filter((o) => o[resource]).map((o) => o.node);
      if (holders.length > 1) violations.push({ at: sample.at, resource, nodes: holders });
    }
  }
  return violations;
}

/** Who held what when: one line per change, relative to `since` (epoch ms). */
export function timeline(samples: readonly Sample[], since: number): string[] {
  const lines: string[] = [];
  let previous = '';
  for (const sample of samples) {
    const state = sample.owners.map((o) => {
      if (!o.reachable) return `${o.node}: unreachable`;
      const held = (['vip', 'drbdPrimary', 'mounted', 'mysqld'] as const).filter((k) => o[k]);
      return `${o.node}: ${held.length ? held.join('+') : '-'}`;
    }).join(' | ');
    if (state !== previous) lines.push(`${((sample.at - since) / 1000).toFixed(1).padStart(7)} s  ${state}`);
    previous = state;
  }
  return lines;
}

/** Where the service ended up: the node holding every resource in the last sample, if any. */
export function serviceOwner(samples: readonly Sample[]): string | undefined {
  const last = samples.at(-1);
  return last?.owners.find((o) => o.vip && o.drbdPrimary && o.mounted && o.mysqld)?.node;
}

/** Samples both nodes' ownership about every `intervalMs` until stopped (bounded by maxSeconds). */
export class OwnerSampler {
  readonly samples: Sample[] = [];
  private stopping = false;
  private running?: Promise<void>;

  constructor(private readonly nodes: () => LabNode[], private readonly t: ResolvedTopology, private readonly intervalMs = 1000, private readonly maxSeconds = 900) {}

  start(): void {
    const deadline = Date.now() + this.maxSeconds * 1000;
    this.running = (async () => {
      while (!this.stopping && Date.now() < deadline) {
        const at = Date.now();
        const owners = await Promise.all(this.nodes().map(async (node) => {
          try {
            return { ...(await withTimeout(ownership(node, this.t), 3000)), reachable: true };
          } catch {
            return { node: node.name, vip: false, drbdPrimary: false, mounted: false, mysqld: false, reachable: false };
          }
        }));
        this.samples.push({ at, owners });
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, this.intervalMs - (Date.now() - at))));
      }
    })();
  }

  async stop(): Promise<Sample[]> {
    this.stopping = true;
    await this.running;
    return this.samples;
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms))]);
}
