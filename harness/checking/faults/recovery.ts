import type { StartedCluster } from '../../cluster/cluster.js';
import { drbdState } from '../../cluster/drbd/drbd.js';
import { describeState } from '../../cluster/drbd/proc-drbd.js';
import type { LabNode } from '../../cluster/node/node.js';
import type { History } from '../history/history.js';

/** The kernel's split-brain lines on a node, for the history (the checker's evidence). */
export async function recordSplitBrainLines(history: History, nodes: readonly LabNode[]): Promise<void> {
  for (const node of nodes) {
    const lines = (await node.run("dmesg | grep -i 'split-brain' | tail -n 3")).stdout.trim();
    for (const line of lines.split('\n').filter(Boolean)) history.append({ kind: 'note', text: `kernel ${node.name}: ${line.replace(/^\[[^\]]*\]\s*/, '')}` });
  }
}

/**
 * DRBD 8.4's manual split-brain recovery (user guide, "Manual split brain recovery"): on the
 * victim `drbdadm secondary` and `drbdadm connect --discard-my-data`, on the survivor `drbdadm
 * connect` if it is StandAlone. The victim's changes since the split are gone: the ledger names
 * them (LEDGER-LOST, by the node that acknowledged them). Each command is a note in the history.
 * Does nothing when DRBD is connected.
 */
export async function recoverSplitBrain(cluster: StartedCluster, history: History, survivor: LabNode): Promise<boolean> {
  const t = cluster.topology;
  const victim = [...cluster.nodes.values()].find((n) => n !== survivor)!;
  const [s, v] = await Promise.all([drbdState(survivor, t), drbdState(victim, t)]);
  if (s.cs === 'Connected' || s.cs.startsWith('Sync')) return false;
  await recordSplitBrainLines(history, [survivor, victim]);
  history.append({ kind: 'note', text: `recovery: ${survivor.name} ${describeState(s)}, ${victim.name} ${describeState(v)}; ${victim.name}'s changes since the split are discarded` });
  const step = async (node: LabNode, command: string) => {
    history.append({ kind: 'note', text: `recovery on ${node.name}: ${command}` });
    await node.succeed(command);
  };
  const r = t.drbd.resource;
  // heartbeat must not hold the group on the victim while its disk is demoted.
  if (v.role.local === 'Primary') await step(victim, `drbdadm secondary ${r}`);
  await step(victim, `drbdadm disconnect ${r} 2>/dev/null; drbdadm connect --discard-my-data ${r}`);
  if ((await drbdState(survivor, t)).cs === 'StandAlone') await step(survivor, `drbdadm connect ${r}`);
  return true;
}
