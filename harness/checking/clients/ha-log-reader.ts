import type { LabNode } from '../../cluster/node/node.js';
import { haLogMilestones, haLogNote, haLogReadNote } from '../history/ha-log.js';
import type { History } from '../history/history.js';

/** Where each node's ha-log ends now (0 when it cannot be read): what heartbeat writes later is the scenario's. */
export async function haLogMarks(nodes: readonly LabNode[]): Promise<Map<string, number>> {
  return new Map(await Promise.all(nodes.map(async (node) => [node.name, await node.heartbeat.logLines().catch(() => 0)] as const)));
}

/** What heartbeat wrote to a node's ha-log since `marks`; undefined when the node cannot be read. */
export async function haLogSince(node: LabNode, marks: ReadonlyMap<string, number>): Promise<string | undefined> {
  const from = marks.get(node.name) ?? 0;
  const lines = await node.heartbeat.logLines().catch(() => undefined);
  if (lines === undefined) return undefined;
  // A log shorter than at the start was rotated or replaced: read all of it.
  return node.heartbeat.log(lines >= from ? from + 1 : 1).catch(() => undefined);
}

/**
 * heartbeat's takeover milestones written since `marks`, as notes at the time each line
 * carries (the node's clock, whole seconds), and a note that the node's log was read. A node that
 * cannot be read adds nothing: the RTO checker then says it could not see, and the exclusive
 * checker cannot lean on its log, rather than the scenario failing here.
 */
export async function recordHaLogMilestones(history: History, nodes: readonly LabNode[], marks: ReadonlyMap<string, number>): Promise<void> {
  const year = new Date(history.now()).getUTCFullYear();
  for (const node of nodes) {
    const text = await haLogSince(node, marks);
    if (text === undefined) continue;
    for (const milestone of haLogMilestones(text, year)) history.append({ kind: 'note', text: haLogNote(node.name, milestone), at: milestone.at });
    history.append({ kind: 'note', ...haLogReadNote(node.name, text.split('\n').filter(Boolean).length) });
  }
}
