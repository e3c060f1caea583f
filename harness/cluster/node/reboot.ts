import { isUnreachable } from './node.js';

/** What surviveReboot needs of a node (a LabNode; a fake in the unit test). */
export interface Rebootable {
  name: string;
  awaitSsh(timeoutSeconds: number): Promise<void>;
  bootedAt(): Promise<number>;
}

/**
 * Runs `work`; when it fails because a node stopped answering, waits (up to `timeoutSeconds`)
 * until every node answers again and, if one booted after `since` (by itself: a DRBD handler,
 * heartbeat), tells `onReboot` and runs `work` once more from the top. A node that answers
 * again without having rebooted, or any other failure, rethrows the error.
 */
export async function surviveReboot<N extends Rebootable, T>(
  nodes: readonly N[], since: number, work: () => Promise<T>, onReboot: (node: N, bootedAt: number) => void, timeoutSeconds = 300,
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
    if (!rebooted) throw error;
    return work();
  }
}
