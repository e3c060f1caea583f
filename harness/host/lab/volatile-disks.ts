import { mkdirSync, truncateSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { removeVolatileDisk, VolatileDisk, VOLATILE_DISKS_DIR } from '../../hypervisor/volatile-disk/volatile-disk.js';
import type { ResolvedTopology } from '../../config/topology.js';

/** Per node: the VM (libvirt's domain) whose data disk it is, the NBD socket its QEMU opens, and the file behind the cache. */
export type VolatileDiskPlan = Record<string, { domain: string; socket: string; file: string }>;

/**
 * Where each node's volatile data disk lives (`--disks volatile`): the file in the lab's own
 * directory under /var/lib (removed with the lab), the socket where VolatileDisk serves it.
 */
export function planVolatileDisks(topology: ResolvedTopology, domainPrefix: string, dir = VOLATILE_DISKS_DIR): VolatileDiskPlan {
  return Object.fromEntries(topology.nodes.map((node) => {
    const domain = `${domainPrefix}${node.name}`;
    return [node.name, { domain, socket: VolatileDisk.paths(domain, dir).socket, file: join(`/var/lib/${topology.prefix}`, 'volatile', `${domain}-data.raw`) }];
  }));
}

/**
 * Serves every node's data disk from a new, empty file (sparse, the topology's size): a new
 * cluster never starts on an earlier one's blocks. Returns a line per disk for the log.
 */
export async function serveNewVolatileDisks(plan: VolatileDiskPlan, diskMiB: number): Promise<string[]> {
  const said: string[] = [];
  for (const [node, disk] of Object.entries(plan)) {
    await removeVolatileDisk(disk.domain);
    mkdirSync(dirname(disk.file), { recursive: true });
    writeFileSync(disk.file, '');
    truncateSync(disk.file, diskMiB * 1024 * 1024);
    const served = await VolatileDisk.serve(disk.domain, disk.file);
    said.push(`${node}: ${disk.file} served on ${disk.socket} through a write-back cache (nbdkit pid ${served.pid})`);
  }
  return said;
}

/** Whether every disk of the plan is served now: a kept cluster whose nbdkit went (a reboot of the host) has lost its disks. */
export function volatileDisksServed(plan: VolatileDiskPlan): boolean {
  return Object.values(plan).every((disk) => VolatileDisk.find(disk.domain) !== undefined);
}

/** The lab's volatile disks that have a record (served or not): their VMs' names. */
export function recordedVolatileDisks(prefix: string): string[] {
  return VolatileDisk.recorded(`${prefix}-`);
}

/** Stops and forgets the lab's volatile disks (their files go with the lab's directory under /var/lib). */
export async function removeVolatileDisks(names: readonly string[]): Promise<void> {
  for (const name of names) await removeVolatileDisk(name);
}
