import { execa } from 'execa';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LabNode } from '../node/node.js';
import { PROJECT_DIR } from '../vagrant/vagrant.js';

/**
 * Faults, in the NixOS test driver's words: `stop` (the guide's orderly way), `kill` (SIGKILL
 * of the heartbeat daemons, nothing released), `crash` (power cut: the VM destroyed without
 * shutdown) and `boot` (power on again).
 */
export async function stopHeartbeat(node: LabNode): Promise<void> {
  await node.succeed('systemctl stop heartbeat');
}

export async function startHeartbeat(node: LabNode): Promise<void> {
  await node.succeed('systemctl start heartbeat');
}

/** SIGKILL to every heartbeat process: the master and its children, so nothing is handed over. */
export async function killHeartbeat(node: LabNode): Promise<string> {
  const before = await node.succeed('pgrep -a -x heartbeat || true');
  await node.succeed('pkill -KILL -x heartbeat; sleep 0.2; ! pgrep -x heartbeat');
  return before;
}

/** libvirt's name for a node, from the settings the orchestrator wrote. */
function domainName(node: LabNode): string {
  const settings = JSON.parse(readFileSync(join(PROJECT_DIR, '.halab', 'lab.json'), 'utf8'));
  return `${settings.libvirt.domainPrefix}${node.name}`;
}

/** Power cut: the VM stops at once, no shutdown, no flush. (Runs inside the lab, like the specs.) */
export async function crash(node: LabNode): Promise<void> {
  await execa('virsh', ['-c', 'qemu:///system', 'destroy', domainName(node)]);
  node.dispose();
}

/** Power on after a crash; the caller waits for SSH (node.reconnect) and brings services back. */
export async function boot(node: LabNode): Promise<void> {
  await execa('virsh', ['-c', 'qemu:///system', 'start', domainName(node)]);
}
