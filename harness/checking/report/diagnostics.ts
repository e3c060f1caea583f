import * as allure from 'allure-js-commons';
import type { LabNode } from '../../cluster/node/node.js';

/** On a failed spec: the last words of each node, where an operator would look first. */
export async function attachDiagnostics(nodes: LabNode[]): Promise<void> {
  const sources: [string, string][] = [
    ['ha-log', 'tail -n 80 /var/log/ha-log'],
    ['dmesg', 'dmesg | tail -n 60'],
    ['MariaDB error log', 'tail -n 60 /var/log/mysql/error.log'],
    ['/proc/drbd', 'cat /proc/drbd'],
  ];
  for (const node of nodes) {
    for (const [name, command] of sources) {
      const result = await node.run(`${command} 2>&1`, { timeoutSeconds: 15 }).catch((error: Error) => ({ stdout: `unreachable: ${error.message}` }));
      await allure.attachment(`${node.name}: ${name}`, result.stdout || '(empty)', 'text/plain');
    }
  }
}
