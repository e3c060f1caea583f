import type mysql from 'mysql2/promise';
import type { LabNode } from '../node/node.js';
import { sleep } from '../../support/time.js';
import { QUERY_TIMEOUT_MS } from '../mysql/vip.js';
import type { ResolvedTopology } from '../../config/topology.js';

/**
 * What is really in force on one node, read raw (parsing and judging are the audit's): DRBD's
 * runtime configuration and /proc/drbd, heartbeat's three files, file modes, the mount of the
 * data directory, the units that must or must not start by themselves.
 */
export interface NodeConfig {
  node: string;
  uname: string;
  drbdShow: string;
  /** drbdadm's view of the resource's handlers block (drbdsetup show has none); undefined where unread. */
  drbdHandlers?: string;
  procDrbd: string;
  haCf: string;
  haresources: string;
  /** `stat -c '%U %G %a'` of authkeys, and its method line (`1 sha1`), never the secret. */
  authkeysStat: string;
  authkeysMethod: string;
  /** `%U %G %a %n` of the binaries the peer-outdater needs (H4); `missing <path>` where absent. */
  outdaterBinaries: string[];
  /** The /proc/mounts line of the data mount point, empty where not mounted. */
  dataMount: string;
  /** `systemctl is-enabled` of the units heartbeat owns or that must not compete with it. */
  units: Record<string, string>;
  /**
   * What heartbeat itself reports at runtime (cl_status), one `key value` line each: `hbstatus
   * <exit>`, `node <name> <status>` for every node it knows (ping nodes too), `link <if> <status>`
   * for each path to the peer, `rsc <local|foreign|all|none>`. Undefined where unread.
   */
  heartbeatRuntime?: string;
  /** `%U %G %a` of each file that holds a secret (SECRET_FILES), `none` where absent. */
  secretFiles: Record<string, string>;
  /**
   * MariaDB's accounts as its root reads them over the local socket, tab-separated lines:
   * `user <user> <host>`, `db <user> <host> <database>`, `global <'user'@'host'> <privilege>`.
   * Undefined where MariaDB does not run (the standby).
   */
  mysqlAccounts?: string;
}

/** Files on a node that hold a secret: heartbeat's key, the power switch's token, MariaDB's maintenance credentials, WordPress's database password. */
export const SECRET_FILES = ['/etc/ha.d/authkeys', '/etc/ha.d/halab-power-switch.token', '/etc/mysql/debian.cnf', '/etc/wordpress/config-default.php'];

/** One round trip for every secret file: `<path> <owner> <group> <mode>`, or `<path> none`. */
export function secretFileModesCommand(files: readonly string[] = SECRET_FILES): string {
  return `for f in ${files.join(' ')}; do printf '%s %s\\n' "$f" "$(stat -c '%U %G %a' "$f" 2>/dev/null || echo none)"; done`;
}

export function parseSecretFileModes(text: string, files: readonly string[] = SECRET_FILES): Record<string, string> {
  const found = new Map(text.split('\n').map((line) => [line.slice(0, line.indexOf(' ')), line.slice(line.indexOf(' ') + 1).trim()]));
  return Object.fromEntries(files.map((f) => [f, found.get(f) || 'none']));
}

/** The SQL that lists MariaDB's accounts and what each may do (run as root on the node). */
export const MYSQL_ACCOUNTS_SQL = [
  "SELECT 'user', user, host FROM mysql.user",
  "SELECT 'db', user, host, db FROM mysql.db",
  "SELECT 'global', GRANTEE, PRIVILEGE_TYPE FROM information_schema.USER_PRIVILEGES",
].join('; ');

/** The shell that asks heartbeat for its runtime view (cl_status), towards `peer`. */
export function heartbeatRuntimeCommand(peer: string): string {
  return [
    'cl_status hbstatus >/dev/null 2>&1; echo "hbstatus $?"',
    'for n in $(cl_status listnodes 2>/dev/null); do echo "node $n $(cl_status nodestatus $n 2>/dev/null)"; done',
    `for l in $(cl_status listhblinks ${peer} 2>/dev/null); do echo "link $l $(cl_status hblinkstatus ${peer} $l 2>/dev/null)"; done`,
    'echo "rsc $(cl_status rscstatus 2>/dev/null)"',
  ].join('; ');
}

export const OUTDATER_BINARIES = ['/usr/sbin/drbdsetup', '/usr/sbin/drbdmeta', '/lib/drbd/drbdsetup-84'];
export const AUDITED_UNITS = ['mariadb.service', 'mariadb.socket', 'heartbeat.service', 'drbd.service'];

/**
 * heartbeat's runtime view, read again while it says `rsc transition` (a group being taken or
 * given up: seen on linux01 right after a revert), for up to `seconds`; what it says then is judged.
 */
export async function readHeartbeatRuntime(read: (command: string) => Promise<string>, peer: string, seconds = 30): Promise<string | undefined> {
  const deadline = Date.now() + seconds * 1000;
  let text = await read(heartbeatRuntimeCommand(peer));
  while (/^rsc transition$/m.test(text) && Date.now() < deadline) {
    await sleep(2000);
    text = await read(heartbeatRuntimeCommand(peer));
  }
  return text || undefined;
}

export async function readNodeConfig(node: LabNode, t: ResolvedTopology): Promise<NodeConfig> {
  const read = async (command: string) => (await node.run(command)).stdout.trim();
  const units: Record<string, string> = {};
  for (const unit of AUDITED_UNITS) units[unit] = (await read(`systemctl is-enabled ${unit} 2>/dev/null`)) || 'unknown';
  return {
    node: node.name,
    uname: await read('uname -n'),
    drbdShow: await read(`drbdsetup show --show-defaults ${t.drbd.resource} 2>&1 || drbdadm dump ${t.drbd.resource} 2>&1`),
    drbdHandlers: (await read(`drbdadm dump ${t.drbd.resource} 2>/dev/null | sed -n '/^\\s*handlers {/,/}/p'`)) || undefined,
    procDrbd: await read('cat /proc/drbd'),
    haCf: await read('cat /etc/ha.d/ha.cf'),
    haresources: await read('cat /etc/ha.d/haresources'),
    authkeysStat: await read("stat -c '%U %G %a' /etc/ha.d/authkeys"),
    authkeysMethod: await read("grep -E '^[[:space:]]*[0-9]+[[:space:]]' /etc/ha.d/authkeys | awk '{print $1, $2}'"),
    outdaterBinaries: (await read(OUTDATER_BINARIES.map((f) => `if [ -e ${f} ]; then stat -L -c '%U %G %a %n' ${f}; else echo missing ${f}; fi`).join('; '))).split('\n'),
    dataMount: await read(`awk '$2 == "${t.mysql.mountPoint}"' /proc/mounts`),
    units,
    heartbeatRuntime: await readHeartbeatRuntime(read, t.nodes.find((n) => n.name !== node.name)!.name),
    secretFiles: parseSecretFileModes(await read(secretFileModesCommand())),
    mysqlAccounts: await node.run(`mariadb -N -B -e ${JSON.stringify(MYSQL_ACCOUNTS_SQL)}`).then((r) => (r.code === 0 ? r.stdout.trim() : undefined)).catch(() => undefined),
  };
}

/** MariaDB's effective settings and the engine of every table of the blog, through the VIP. */
export interface MysqlFacts {
  variables: Record<string, string>;
  engines: Record<string, string>;
}

export const AUDITED_VARIABLES = ['datadir', 'innodb_flush_log_at_trx_commit', 'sync_binlog', 'log_bin', 'innodb_doublewrite', 'default_storage_engine'];

export async function readMysqlFacts(pool: mysql.Pool, database: string): Promise<MysqlFacts> {
  const [vars] = await pool.query<mysql.RowDataPacket[]>({
    sql: `SHOW GLOBAL VARIABLES WHERE Variable_name IN (${AUDITED_VARIABLES.map(() => '?').join(', ')})`, values: AUDITED_VARIABLES, timeout: QUERY_TIMEOUT_MS,
  });
  const [tables] = await pool.query<mysql.RowDataPacket[]>({
    sql: 'SELECT TABLE_NAME, ENGINE FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = ?', values: [database, 'BASE TABLE'], timeout: QUERY_TIMEOUT_MS,
  });
  return {
    variables: Object.fromEntries(vars.map((r) => [String(r.Variable_name), String(r.Value)])),
    engines: Object.fromEntries(tables.map((r) => [String(r.TABLE_NAME), String(r.ENGINE)])),
  };
}
