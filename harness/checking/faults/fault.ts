import type { StartedCluster } from '../../cluster/cluster.js';
import type { LabNode } from '../../cluster/node/node.js';
import type { NodeObserver } from '../clients/node-observer.js';
import type { History } from '../history/history.js';

/** What a fault works with: the cluster, the history it writes itself into, the observers it may inform. */
export interface FaultContext {
  cluster: StartedCluster;
  history: History;
  observers: ReadonlyMap<string, NodeObserver>;
  /** Reports progress and evidence (Allure steps in the specs, the console elsewhere). */
  attach(name: string, content: string): Promise<void>;
}

/** Picks the nodes a fault acts on: Jepsen's target selector. */
export type TargetSelector = (cluster: StartedCluster) => LabNode[];

export const primaryNode: TargetSelector = (cluster) => [cluster.primary];

/**
 * A fault as a value, in the NixOS driver's and Jepsen's spirit: a name, the nodes it targets,
 * `start` to break something and `stop` to heal it. The nemesis records both in the history.
 */
export interface Fault {
  name: string;
  /** One line for the report: what is broken, and how. */
  description: string;
  targets: TargetSelector;
  start(ctx: FaultContext, nodes: LabNode[]): Promise<void>;
  /** Heals; for a power cut this is the power coming back. */
  stop(ctx: FaultContext, nodes: LabNode[]): Promise<void>;
}

/**
 * Runs a fault's start or stop and writes the op into the history: invoke before, ok or fail
 * after, with the targets as the value, under the `nemesis` process.
 */
export async function nemesis(fault: Fault, phase: 'start' | 'stop', ctx: FaultContext): Promise<void> {
  const nodes = fault.targets(ctx.cluster);
  const value = nodes.map((n) => n.name);
  ctx.history.append({ kind: 'op', process: 'nemesis', type: 'invoke', f: fault.name, phase, value });
  try {
    await fault[phase](ctx, nodes);
    ctx.history.append({ kind: 'op', process: 'nemesis', type: 'ok', f: fault.name, phase, value });
  } catch (error) {
    ctx.history.append({ kind: 'op', process: 'nemesis', type: 'fail', f: fault.name, phase, value, error: (error as Error).message.split('\n')[0] });
    throw error;
  }
}
