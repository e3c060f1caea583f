import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { log } from '../../support/log.js';
import { labHypervisor, type Lab } from './lab.js';
import { recordedVolatileDisks, removeVolatileDisks } from './volatile-disks.js';

/** What carries the lab's prefix in libvirt: only these are ever removed. */
export interface Leftovers {
  domains: string[];
  volumes: string[];
  networks: string[];
  pool: boolean;
  /** VMs' data disks with a volatile write cache (nbdkit daemons), by their VM's name. */
  disks: string[];
}

/** Names that belong to the lab: `<prefix>-…` or `<prefix>_…` (vagrant-libvirt's box volumes). */
export function ownedBy(prefix: string, names: string[]): string[] {
  return names.filter((name) => name === prefix || name.startsWith(`${prefix}-`) || name.startsWith(`${prefix}_`));
}

function lines(text: string): string[] {
  return text.split('\n').map((line) => line.trim()).filter(Boolean);
}

export async function findLeftovers(lab: Lab, prefix: string): Promise<Leftovers> {
  const hypervisor = labHypervisor(lab);
  const list = async (...args: string[]) => lines((await hypervisor.query(...args)) ?? '');
  const pools = await list('pool-list', '--all', '--name');
  const pool = pools.includes(prefix);
  return {
    domains: ownedBy(prefix, await list('list', '--all', '--name')),
    volumes: pool ? await list('vol-list', '--pool', prefix).then((rows) => rows.map((row) => row.split(/\s+/)[0])) : [],
    networks: ownedBy(prefix, await list('net-list', '--all', '--name')),
    pool,
    disks: recordedVolatileDisks(prefix),
  };
}

/**
 * Removes the lab's domains, volumes, networks and storage pool, and Vagrant's record of the
 * machines; never anything without the prefix. `found`: what the caller's own `findLeftovers` found, not looked up again.
 */
export async function removeLeftovers(lab: Lab, prefix: string, projectDir: string, found?: Leftovers): Promise<Leftovers> {
  found ??= await findLeftovers(lab, prefix);
  const hypervisor = labHypervisor(lab);
  const run = (...args: string[]) => hypervisor.query(...args);
  for (const domain of found.domains) {
    log('cleanup', `domain ${domain}`);
    await run('destroy', domain);
    await run('undefine', domain, '--remove-all-storage', '--snapshots-metadata');
  }
  // After the VMs: a disk stopped under a running VM would fail its I/O.
  for (const disk of found.disks) log('cleanup', `volatile disk of ${disk}`);
  await removeVolatileDisks(found.disks);
  for (const volume of found.volumes) {
    log('cleanup', `volume ${prefix}/${volume}`);
    await run('vol-delete', '--pool', prefix, volume);
  }
  for (const network of found.networks) {
    log('cleanup', `network ${network}`);
    await run('net-destroy', network);
    await run('net-undefine', network);
  }
  if (found.pool) {
    log('cleanup', `storage pool ${prefix}`);
    await run('pool-destroy', prefix);
    await run('pool-undefine', prefix);
  }
  rmSync(join(projectDir, '.vagrant', 'machines'), { recursive: true, force: true });
  return found;
}

/** vagrant-libvirt needs the pool to exist; a transient one vanishes with its libvirtd. */
export async function ensureStoragePool(lab: Lab, pool: string, dir: string): Promise<void> {
  const hypervisor = labHypervisor(lab);
  if ((await hypervisor.query('pool-info', pool)) !== undefined) return;
  await lab.onHypervisorHost('mkdir', ['-p', dir]);
  await hypervisor.virsh('pool-create-as', pool, 'dir', '--target', dir);
}
