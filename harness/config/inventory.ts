import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { inventorySchema, parseShape } from './schemas.js';
import type { ResolvedTopology } from './topology.js';

/**
 * An existing cluster to audit read-only (`npm run audit -- --inventory <file>`): its two nodes
 * and how to reach them, its VIP, DRBD resource and MySQL, and where the secrets are (files,
 * never the secrets themselves).
 */
export interface Inventory {
  /** The file it was read from; relative paths in it are relative to its directory. */
  file: string;
  /** The preferred node first (haresources' node). */
  nodes: { name: string; address: string; ssh: { host: string; port: number; user: string; key: string } }[];
  vip: string;
  interface: string;
  pingNode?: string;
  drbd: { resource: string; device: string };
  mysql: { user: string; passwordFile: string; database: string; mountPoint: string; datadir: string };
  /** The host interface on the cluster's network the outside witness listens on; found by the VIP's network when absent. */
  witness?: { interface: string };
  /** The accepted findings the audit is judged against. */
  acceptanceFile?: string;
}

export function loadInventory(file: string): Inventory {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file}: cannot read the inventory: ${(error as Error).message}`);
  }
  const parsed = parseShape(inventorySchema, raw, file);
  const here = (path: string) => resolve(dirname(resolve(file)), path);
  if (parsed.nodes[0].name === parsed.nodes[1].name) throw new Error(`${file}: nodes[1].name = ${JSON.stringify(parsed.nodes[1].name)}: the two nodes need two names`);
  return {
    file: resolve(file),
    nodes: parsed.nodes.map((n) => ({ name: n.name, address: n.address, ssh: { host: n.ssh.host ?? n.address, port: n.ssh.port ?? 22, user: n.ssh.user, key: here(n.ssh.key) } })),
    vip: parsed.vip,
    interface: parsed.interface,
    ...(parsed.pingNode && { pingNode: parsed.pingNode }),
    drbd: parsed.drbd,
    mysql: { ...parsed.mysql, passwordFile: here(parsed.mysql.passwordFile) },
    ...(parsed.witness && { witness: parsed.witness }),
    ...(parsed.acceptance && { acceptanceFile: here(parsed.acceptance) }),
  };
}

/** The topology the cluster library reads, with the inventory's names, addresses and paths over the lab's. */
export function inventoryTopology(inventory: Inventory, base: ResolvedTopology): ResolvedTopology {
  const nodes = inventory.nodes.map((n) => ({ name: n.name, address: n.address }));
  return {
    ...base,
    network: { ...base.network, vip: inventory.vip, interface: inventory.interface, hostAddress: inventory.pingNode ?? base.network.hostAddress },
    nodes,
    primary: nodes[0],
    secondary: nodes[1],
    pingNode: inventory.pingNode ?? base.pingNode,
    drbd: { ...base.drbd, resource: inventory.drbd.resource, device: inventory.drbd.device },
    mysql: { ...base.mysql, database: inventory.mysql.database, mountPoint: inventory.mysql.mountPoint, datadir: inventory.mysql.datadir },
  };
}
