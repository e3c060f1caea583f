import type { StartedCluster } from '../../cluster/cluster.js';
import type { LabNode } from '../../cluster/node/node.js';
import type { NodeObserver } from '../clients/node-observer.js';
import type { History } from '../history/history.js';
import { sleep } from '../../support/time.js';

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
 * `start` to break something and `stop` to heal it; nothing else. How long it holds is the
 * scenario's (a schedule varies it). The nemesis records both in the history.
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

/**
 * One step of a fault made of several (Jepsen's composed nemesis): the step's fault started on
 * the nodes it names, then held for `holdSeconds` or `until` what the next step needs has happened.
 */
export interface FaultStep {
  fault: Fault;
  holdSeconds?: number;
  /** Waits for what the next step needs (a takeover, a resync begun); what it returns is a note. */
  until?: (ctx: FaultContext) => Promise<string | void>;
}

/**
 * Faults one after the other, as one fault of the scenario (one window in the history): each
 * step's start is a note, its hold or condition kept before the next; the heal stops every step,
 * the last first, or in start order where the first step's heal must come first (a cut lifted
 * before the node it isolated comes back).
 */
export function sequence(name: string, description: string, targets: TargetSelector, steps: readonly FaultStep[], options: { healOrder?: 'reverse' | 'start order' } = {}): Fault {
  return {
    name,
    description,
    targets,
    start: async (ctx) => {
      for (const step of steps) {
        const nodes = step.fault.targets(ctx.cluster);
        ctx.history.append({ kind: 'note', text: `${name}: ${step.fault.name} on ${nodes.map((n) => n.name).join(', ')}` });
        await step.fault.start(ctx, nodes);
        if (step.holdSeconds) await sleep(step.holdSeconds * 1000);
        const said = await step.until?.(ctx);
        if (said) ctx.history.append({ kind: 'note', text: `${name}: ${said}` });
      }
    },
    stop: async (ctx) => {
      const order = options.healOrder === 'start order' ? steps : [...steps].reverse();
      for (const step of order) await step.fault.stop(ctx, step.fault.targets(ctx.cluster));
    },
  };
}
