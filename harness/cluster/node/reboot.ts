import { isUnreachable } from './node.js';

/** What surviveReboot needs of a node (a LabNode; a fake in the unit test). */
export interface Rebootable {
  name: string;
  awaitSsh(timeoutSeconds: number): Promise<void>;
  bootedAt(): Promise<number>;
}

/**
 * Runs `work`; when it fails because a node stopped answering, waits (up to `timeoutSeconds`)
 * until every node answers again, tells `onReboot` of each node that booted after `since` (by
 * itself: a DRBD handler, heartbeat) — or `onUnreachable` when none did (SSH refused for a moment
 * by a node that stayed up: seen in CI's F2 recovery, 2026-11-27, while the observers' sessions
 * on it went on) — and runs `work` once more from the top: `work` must be safe to repeat. Any
 * other failure, or a second one, is thrown.
 */
export async function surviveReboot<N extends Rebootable, T>(
  nodes: readonly N[], since: number, work: () => Promise<T>, onReboot: (node: N, bootedAt: number) => void, timeoutSeconds = 300,
  onUnreachable: (error: Error) => void = () => {},
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!isUnreachable(error)) throw error;
    let rebooted = false;
    for (const node of nodes) {
      await node.awaitSsh(timeoutSeconds);
      const bootedAt = await node.bootedAt();
      if (bootedAt > since) {
        rebooted = true;
        onReboot(node, bootedAt);
      }
    }
    if (!rebooted) onUnreachable(error as Error);
    return work();
  }
}
