/**
 * vitest's globalSetup: while the specs run, the lab's power switch serves a profile whose
 * heartbeat has a STONITH device (topology.hardened.json: heartbeat.stonith). It listens on the
 * management network's host end, which exists only inside the lab (the isolated lab's namespace,
 * or the workstation's libvirt bridge). Between runs a kept cluster has no switch: a fence then
 * fails, heartbeat retries every 5 s and takes nothing over, which is STONITH's own safe side.
 */
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { describeOperation, MANAGEMENT_GATEWAY, Hypervisor, parseClusterInfo, reportFiles, startPowerSwitch } from '../../harness/index.js';
import { loadSecrets } from '../../provision/index.js';

export default async function setup(): Promise<(() => Promise<void>) | undefined> {
  const file = process.env.HALAB_CLUSTER_JSON;
  if (!file) return undefined;
  const info = parseClusterInfo(readFileSync(file, 'utf8'), file);
  const stonith = info.topology.profile.hardening?.heartbeat.stonith;
  if (!stonith) return undefined;
  const { powerSwitchLog } = reportFiles(info.run.reportsDir);
  mkdirSync(dirname(powerSwitchLog), { recursive: true });
  // The log exists from the start: an empty log is "no fence", a missing one "not seen" (the fence checker's UNKNOWN).
  writeFileSync(powerSwitchLog, '', { flag: 'a' });
  const hypervisor = new Hypervisor();
  const powerSwitch = await startPowerSwitch({
    host: MANAGEMENT_GATEWAY,
    port: stonith.port,
    token: loadSecrets().powerSwitchToken,
    domains: Object.fromEntries(Object.entries(info.nodes).map(([name, node]) => [name, node.domain])),
    // Only the nodes may ask, each from its management address: the operation log names who fenced whom.
    askers: Object.fromEntries(Object.entries(info.nodes).map(([name, node]) => [node.endpoint.hostName, name])),
    virsh: (...args) => hypervisor.virsh(...args),
    volatileDisks: hypervisor.disksDir,
    qemuPids: hypervisor.qemuPidDir,
    record: (operation) => {
      // The scenarios read it back: a power cut the switch made is one the observers did not see.
      appendFileSync(powerSwitchLog, `${JSON.stringify(operation)}\n`);
      process.stderr.write(`[power-switch] ${describeOperation(operation)}\n`);
    },
  }).catch((error: Error) => {
    throw new Error(`the lab's power switch (the ${info.topology.profile.name} profile's STONITH device) cannot listen on ${MANAGEMENT_GATEWAY}:${stonith.port}: ${error.message}`);
  });
  process.stderr.write(`[power-switch] serving ${powerSwitch.url} for ${Object.keys(info.nodes).join(', ')} (heartbeat's STONITH device)\n`);
  return () => powerSwitch.close();
}
