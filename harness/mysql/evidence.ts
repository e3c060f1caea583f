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
 * A shell snippet for the node that prints the evidence lines using the local mariadb client
 * (socket auth as root): one round trip whatever the number of tables.
 */
export function evidenceCommand(database: string): string {
  return `for t in $(mariadb -N -B -e "SELECT table_name FROM information_schema.tables WHERE table_schema='${database}' ORDER BY 1"); do ` +
    `printf '%s\\t%s\\t%s\\n' "$t" "$(mariadb -N -B -e "SELECT COUNT(*) FROM \\\`${database}\\\`.\\\`$t\\\`")" ` +
    `"$(mariadb -N -B -e "CHECKSUM TABLE \\\`${database}\\\`.\\\`$t\\\`" | cut -f2)"; done`;
}
