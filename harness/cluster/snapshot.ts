import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { glob, retry } from 'zx';
import { PROJECT_DIR, TOPOLOGY_FILE } from '../support/paths.js';
import type { Variant } from '../config/variant.js';
import { GUIDE_PROFILE, profileFile } from '../config/profile.js';
import type { LabNode } from './node/node.js';

/**
 * The snapshot's name carries a hash of what built the cluster (the procedure's code, its
 * variant, the topology and the profile): a snapshot taken by other procedure code is never reverted to.
 */
export async function procedureKey(run: { variant: Variant; profile: string; config?: string }): Promise<string> {
  const { variant, profile } = run;
  const files = (await glob(['provision/**/*', '!provision/**/*.test.ts'], { cwd: PROJECT_DIR, onlyFiles: true })).sort();
  const hash = createHash('sha256');
  // The default's key hashes the code alone, as before variants existed.
  if (variant !== 'final') hash.update(`variant ${variant}\0`);
  // And the guide's profile's, as before profiles existed; another profile's carries its file.
  const profileFiles = profile === GUIDE_PROFILE ? [] : [profileFile(profile)];
  if (profile !== GUIDE_PROFILE) hash.update(`profile ${profile}\0`);
  // An operator's configuration: its directory's files (what is deployed), by name; not the acceptance file, which judges and builds nothing.
  const configFiles = run.config ? readdirSync(resolve(run.config)).filter((f) => f !== 'acceptance.json').sort().map((f) => join(resolve(run.config!), f)) : [];
  if (run.config) hash.update('operator configuration\0');
  for (const file of [...files.map((f) => join(PROJECT_DIR, f)), TOPOLOGY_FILE, ...profileFiles, ...configFiles]) {
    hash.update(`${relative(PROJECT_DIR, file)}\0`).update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex').slice(0, 12);
}

export const SNAPSHOT_PREFIX = 'halab-steady-';

/** The steady-state snapshot's name for this procedure code, topology, profile and variant. */
export async function steadySnapshotName(run: { variant: Variant; profile: string; config?: string }): Promise<string> {
  return `${SNAPSHOT_PREFIX}${await procedureKey(run)}`;
}

/** Written on every node by the procedure spec once the whole procedure passed: the key it passed with. */
export const PROCEDURE_KEY_FILE = '/root/ha-lab/procedure-key';


const HA_LOG = '/var/log/ha-log';
/** heartbeat's log size when the snapshot was taken, kept on each node's disk inside the snapshot. */
export const HA_LOG_MARK = '/root/ha-lab/ha-log-at-snapshot';
/**
 * heartbeat reacting to a peer's silence: a heartbeat later than deadtime (a node paused a moment
 * too long while both were suspended for the snapshot, or starved under TCG) starts a takeover
 * that a snapshot then carries into every scenario (seen: linux02 "Late heartbeat … is dead …
 * Taking over resource group" at every revert, so that a real fault later found it mid-takeover
 * and it never took over). "Late heartbeat" alone is a warning after warntime, not a reaction: in
 * the guide's ha.cf (warntime 10 > deadtime 5) it never comes without "is dead"; where warntime is
 * below deadtime (the hardened profile) a late but living peer is no reason to set up again.
 */
export const UNSETTLED_HEARTBEAT = /: is dead|Resources being acquired|Taking over resource group|Giving up resources|hb_standby|STONITH/;

/** heartbeat's log lines since the snapshot's mark that show it reacting to a peer's silence (none: settled). */
export async function heartbeatUnsettledSinceMark(nodes: readonly LabNode[]): Promise<string[]> {
  const lines = await Promise.all(nodes.map(async (node) => {
    const { stdout } = await node.run(`tail -c +$(( $(cat ${HA_LOG_MARK} 2>/dev/null || echo 0) + 1 )) ${HA_LOG} | grep -E '${UNSETTLED_HEARTBEAT.source}'`);
    return stdout.split('\n').map((l) => l.trim()).filter(Boolean).map((l) => `${node.name}: ${l}`);
  }));
  return lines.flat();
}

/** Deletes the steady-state snapshots of the nodes (a snapshot found unsettled is never used again). */
export async function deleteSteadySnapshots(nodes: readonly LabNode[]): Promise<void> {
  for (const node of nodes) {
    for (const old of (await node.vm.snapshots()).filter((s) => s.startsWith(SNAPSHOT_PREFIX))) await node.vm.deleteSnapshot(old);
  }
}

/**
 * Both VMs saved at one instant: paused together, snapshotted (disks and memory), resumed
 * together, so that DRBD's connection and heartbeat's packets between them stay consistent.
 * Older steady-state snapshots are deleted first.
 */
export async function saveSnapshot(nodes: readonly LabNode[], name: string): Promise<void> {
  await deleteSteadySnapshots(nodes);
  // Inside the snapshot: where heartbeat's log stood, so that what it logs after a revert can be told apart.
  await Promise.all(nodes.map((node) => node.succeed(`mkdir -p /root/ha-lab && stat -c %s ${HA_LOG} > ${HA_LOG_MARK}`)));
  await Promise.all(nodes.map((node) => node.vm.suspend()));
  try {
    // At once, as the reverts: the VMs sit suspended for one save's time, not two.
    await Promise.all(nodes.map((node) => node.vm.createSnapshot(name, 'ha-lab steady state: procedure done, V1 and V4 proven')));
  } finally {
    await Promise.all(nodes.map((node) => node.vm.resume()));
  }
}

/**
 * Back to the snapshot: every VM reverted paused at once (3 s; one after the other, 6 s), then
 * all resumed together (heartbeat's deadtime is seconds: one node running alone for longer would
 * declare the other dead). A revert starts a new qemu, with new tap ports on the lab's bridges
 * (STP off, host/lab/bridges.ts, or they forward nothing for ~4 s). Right after the resume a
 * heartbeat can still come late ("Late heartbeat: Node linux02: interval 6150 ms" after a revert
 * with STP off; the guests' clocks were not seen to leap): the checks after a revert catch the
 * reaction it causes under the guide's deadtime 5. The SSH connections of before are dead; each
 * node is reconnected and its clock set to the harness's, since a reverted guest wakes up at the
 * snapshot's time.
 */
export async function revertSnapshot(nodes: readonly LabNode[], name: string): Promise<void> {
  await Promise.all(nodes.map((node) => node.vm.revertPaused(name)));
  await Promise.all(nodes.map((node) => node.vm.resume()));
  await Promise.all(nodes.map(async (node) => {
    // A resumed guest may take a few seconds to answer ARP (EHOSTUNREACH until then).
    await retry(20, '2s', () => node.reconnect(20));
    await setClock(node);
  }));
}

/** Sets the node's clock to the harness's, again while the measured offset stays over half a second. */
async function setClock(node: LabNode): Promise<void> {
  for (let attempt = 1; attempt <= 3; attempt++) {
    await node.succeed(`date -s @${(Date.now() / 1000).toFixed(3)} > /dev/null`);
    if (Math.abs((await node.clockOffset(3)).offsetMs) < 500) return;
  }
}
