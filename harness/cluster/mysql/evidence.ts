import { quote } from 'zx';

/** Row count and CHECKSUM TABLE of every table of the blog database: the data's fingerprint. */
export interface TableEvidence {
  table: string;
  rows: number;
  checksum: string;
}

/** Parses `table<TAB>rows<TAB>checksum` lines (what the evidence SQL prints with -N -B). */
export function parseEvidence(text: string): TableEvidence[] {
  return text.trim().split('\n').filter(Boolean).map((line) => {
    const [table, rows, checksum] = line.split('\t');
    if (!table || rows === undefined || checksum === undefined || !/^\d+$/.test(rows)) throw new Error(`evidence line not understood: ${JSON.stringify(line)}`);
    return { table, rows: Number(rows), checksum };
  }).sort((a, b) => a.table.localeCompare(b.table));
}

/** The tables whose rows or checksum differ, or that exist on one side only. */
export function compareEvidence(before: TableEvidence[], after: TableEvidence[]): string[] {
  const afterByTable = new Map(after.map((e) => [e.table, e]));
  const differences: string[] = [];
  for (const b of before) {
    const a = afterByTable.get(b.table);
    if (!a) differences.push(`${b.table}: missing after`);
    else if (a.rows !== b.rows || a.checksum !== b.checksum) differences.push(`${b.table}: rows ${b.rows} → ${a.rows}, checksum ${b.checksum} → ${a.checksum}`);
    afterByTable.delete(b.table);
  }
  for (const table of afterByTable.keys()) differences.push(`${table}: not there before`);
  return differences;
}

/**
 * Rows WordPress itself rewrites while serving pages: transients and the cron schedule. They
 * are caches, not the blog's data, so they are left out of that table's fingerprint; every
 * other row counts. (Options made on a first visit exist already: P3 views the front page
 * before taking the evidence.)
 */
const VOLATILE_ROWS: Record<string, { where: string; columns: string[] }> = {
  wp_options: {
    where: "option_name NOT LIKE '%\\_transient\\_%' AND option_name <> 'cron'",
    columns: ['option_id', 'option_name', 'option_value', 'autoload'],
  },
};

/**
 * One SELECT per table giving (rows, checksum): CHECKSUM TABLE where the whole table is data,
 * an order-independent CRC of the durable rows where WordPress keeps volatile rows too.
 * The node-side shell and the mysql2 client both use these, so their figures compare.
 */
export function evidenceSql(database: string, table: string): { rows: string; checksum: string } {
  const name = `\`${database}\`.\`${table}\``;
  const volatile = VOLATILE_ROWS[table];
  if (!volatile) return { rows: `SELECT COUNT(*) FROM ${name}`, checksum: `CHECKSUM TABLE ${name}` };
  return {
    rows: `SELECT COUNT(*) FROM ${name} WHERE ${volatile.where}`,
    checksum: `SELECT '${table}', COALESCE(BIT_XOR(CRC32(CONCAT_WS(0x1f, ${volatile.columns.join(', ')}))), 0) FROM ${name} WHERE ${volatile.where}`,
  };
}

export function listTablesSql(database: string): string {
  return `SELECT table_name FROM information_schema.tables WHERE table_schema='${database}' ORDER BY 1`;
}

/**
 * A shell command for the node that prints the evidence lines of the given tables with the
 * local mariadb client (socket auth as root): one round trip whatever the number of tables.
 */
export function evidenceCommand(database: string, tables: string[]): string {
  return tables.map((table) => {
    const { rows, checksum } = evidenceSql(database, table);
    return `printf '%s\\t%s\\t%s\\n' ${table} "$(mariadb -N -B -e ${quote(rows)})" "$(mariadb -N -B -e ${quote(checksum)} | cut -f2)"`;
  }).join(' && ');
}
