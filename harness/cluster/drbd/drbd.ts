import type { LabNode } from '../node/node.js';
import type { ResolvedTopology } from '../../config/topology.js';
import { parseProcDrbd, resourceState, type DrbdState } from './proc-drbd.js';

export function drbdMinor(t: ResolvedTopology): number {
  return Number(/(\d+)$/.exec(t.drbd.device)![1]);
}

/** The node's view of the lab's DRBD resource, from /proc/drbd. */
export async function drbdState(node: LabNode, t: ResolvedTopology): Promise<DrbdState> {
  const text = (await node.run('cat /proc/drbd 2>/dev/null')).stdout;
  return resourceState(parseProcDrbd(text), drbdMinor(t));
}

/** Raw /proc/drbd, for attachments. */
export async function procDrbd(node: LabNode): Promise<string> {
  return (await node.run('cat /proc/drbd 2>&1')).stdout;
}
