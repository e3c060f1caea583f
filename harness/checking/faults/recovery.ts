import type { StartedCluster } from '../../cluster/cluster.js';
import { drbdState } from '../../cluster/drbd/drbd.js';
import { describeState } from '../../cluster/drbd/proc-drbd.js';
import type { LabNode } from '../../cluster/node/node.js';
import type { History } from '../history/history.js';
import { kernelReadNote, RECORDED_KERNELS } from '../checkers/service-checker.js';

/** The kernel's split-brain lines on a node (DRBD's words), oldest first. */
export async function splitBrainLines(node: LabNode): Promise<string[]> {
  // dmesg's own failure is not "no split brain": it fails the read, which the caller says.
  const result = await node.run("log=$(dmesg) || exit 3; printf '%s\\n' \"$log\" | grep -i 'split-brain' || true");
  if (result.code !== 0) throw new Error(`${node.name}: dmesg failed (exit ${result.code}): ${result.stderr.trim()}`);
  return result.stdout.trim().split('\n').filter(Boolean).map((line) => line.replace(/^\[[^\]]*\]\s*/, ''));
}

/**
 * The kernel's split-brain lines that appeared since `before` (the lines counted at the
 * scenario's start; a node that rebooted starts over), as notes in the history: the checker's evidence.
 */
export async function recordSplitBrainLines(history: History, nodes: readonly LabNode[], before: ReadonlyMap<string, number> = new Map()): Promise<void> {
  history.append({ kind: 'note', text: RECORDED_KERNELS });
  for (const node of nodes) {
    // A log that cannot be read is said as such (no read note): the split-brain checker is then UNKNOWN, not SAFE.
    const lines = await splitBrainLines(node).catch(() => undefined);
    if (!lines) continue;
    const seen = before.get(node.name) ?? 0;
    for (const line of lines.slice(lines.length >= seen ? seen : 0)) history.append({ kind: 'note', text: `kernel ${node.name}: ${line}` });
    history.append({ kind: 'note', ...kernelReadNote(node.name, lines.length) });
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
