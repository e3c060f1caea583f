import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, relative, resolve } from 'node:path';
import { parseClusterInfo } from '../../cluster/cluster.js';
import { CLUSTER_FILE, SECRETS_FILE } from '../../support/paths.js';

/** The MariaDB account P3 creates for the harness (provision/secrets.ts), which may SELECT through the VIP. */
const LAB_DB_USER = 'halab';

/**
 * An inventory of the lab cluster a `--keep` run left, as if it were someone else's pair: the
 * nodes at their lab addresses with the VMs' SSH user and key, the VIP, the resource, MySQL with
 * the harness's account (its password in a file beside, mode 600), the run's acceptance file. To
 * rehearse `npm run audit` before pointing it at a real cluster.
 */
export function writeLabInventory(file: string): string {
  const info = parseClusterInfo(readFileSync(CLUSTER_FILE, 'utf8'), CLUSTER_FILE);
  const t = info.topology;
  const target = resolve(file);
  const here = (path: string) => relative(dirname(target), path) || basename(path);
  const passwordFile = `${target.replace(/\.json$/, '')}.mysql-password`;
  writeFileSync(passwordFile, `${(JSON.parse(readFileSync(SECRETS_FILE, 'utf8')) as { harnessDbPassword: string }).harnessDbPassword}\n`, { mode: 0o600 });
  const inventory = {
    $schema: here(resolve(dirname(CLUSTER_FILE), '..', 'schemas', 'inventory.schema.json')),
    $comment: `the lab cluster kept by npm run e2e -- --keep (${info.run.config ? `the operator's configuration ${info.run.config}` : `the ${info.run.profile} profile`}), written by npm run audit -- --write-lab-inventory`,
    nodes: t.nodes.map((n) => ({ name: n.name, address: n.address, ssh: { host: n.address, user: info.nodes[n.name].endpoint.user, key: info.nodes[n.name].endpoint.identityFiles[0] } })),
    vip: t.network.vip,
    interface: t.network.interface,
    pingNode: t.pingNode,
    drbd: { resource: t.drbd.resource, device: t.drbd.device },
    mysql: { user: LAB_DB_USER, passwordFile: here(passwordFile), database: t.mysql.database, mountPoint: t.mysql.mountPoint, datadir: t.mysql.datadir },
    acceptance: here(info.run.acceptanceFile),
  };
  writeFileSync(target, `${JSON.stringify(inventory, null, 2)}\n`);
  return target;
}
