import mysql from 'mysql2/promise';
import type { ResolvedTopology } from '../../config/topology.js';
import type { JumpHost } from '../node/jump-host.js';
import { evidenceSql, listTablesSql, type TableEvidence } from './evidence.js';

/**
 * Every query through the VIP carries a timeout: when the node holding the VIP loses power,
 * a pooled connection's packets go nowhere and would wait for TCP to give up (minutes).
 */
export const QUERY_TIMEOUT_MS = 10_000;

/** MariaDB's port: the clients' door on the VIP. */
export const MYSQL_PORT = 3306;

/**
 * A mysql2 pool to the blog database through the VIP: the door a user of the cluster has. `jump`:
 * the hypervisor host, when the VMs run on another one (each connection forwarded through it).
 */
export function vipPool(t: ResolvedTopology, credentials: { user: string; password: string }, jump?: JumpHost): mysql.Pool {
  return mysql.createPool({
    host: t.network.vip,
    port: MYSQL_PORT,
    ...(jump && { stream: () => jump.stream(t.network.vip, MYSQL_PORT) }),
    user: credentials.user,
    password: credentials.password,
    database: t.mysql.database,
    connectionLimit: 4,
    connectTimeout: 5000,
    charset: 'utf8mb4',
    enableKeepAlive: true,
  });
}

/** Rows and CHECKSUM TABLE of every table, read through the pool (same shape as the node-side evidence). */
export async function readEvidence(pool: mysql.Pool, database: string): Promise<TableEvidence[]> {
  const [tables] = await pool.query<mysql.RowDataPacket[]>({ sql: listTablesSql(database), rowsAsArray: true, timeout: QUERY_TIMEOUT_MS });
  const evidence: TableEvidence[] = [];
  for (const [name] of tables as unknown as [string][]) {
    const sql = evidenceSql(database, name);
    const [[[rows]]] = await pool.query<mysql.RowDataPacket[]>({ sql: sql.rows, rowsAsArray: true, timeout: QUERY_TIMEOUT_MS }) as unknown as [[[number]]];
    const [[[, checksum]]] = await pool.query<mysql.RowDataPacket[]>({ sql: sql.checksum, rowsAsArray: true, timeout: QUERY_TIMEOUT_MS }) as unknown as [[[string, unknown]]];
    evidence.push({ table: name, rows: Number(rows), checksum: String(checksum) });
  }
  return evidence.sort((a, b) => a.table.localeCompare(b.table));
}

/** Which server answers on the VIP (@@hostname), proving where the service runs. */
export async function servedBy(pool: mysql.Pool): Promise<string> {
  const [[row]] = await pool.query<mysql.RowDataPacket[]>({ sql: 'SELECT @@hostname AS host', timeout: QUERY_TIMEOUT_MS });
  return String(row.host);
}
