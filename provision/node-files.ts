/** Files and tables on a node, as the phases write and read them: content through stdin, never on a command line. */
import { quote } from 'zx';
import type { Procedure } from './context.js';
import type { Transcript } from './step.js';
import { listTablesSql, type LabNode } from '../harness/index.js';

/** Where P3 keeps the data's fingerprint on linux01. */
export function evidenceBeforeFile(p: Procedure): string {
  return `${p.stateDir}/evidence-before.tsv`;
}

/** Writes a file on a node from the harness (content through stdin, never on a command line). */
export function writeFileCommand(path: string, mode = '644'): string {
  return `install -D -m ${mode} /dev/stdin ${quote(path)}`;
}

/** Like writeFileCommand, but leaves an identical file alone and prints `changed` or `unchanged`. */
export function updateFileCommand(path: string, mode = '644'): string {
  const target = quote(path);
  return `new=$(mktemp) && cat > "$new" && if cmp -s "$new" ${target}; then rm -f "$new"; echo unchanged; ` +
    `else install -D -m ${mode} "$new" ${target} && rm -f "$new" && echo changed; fi`;
}

/** The database's tables, from the node's local MariaDB. */
export async function listTables(t: Transcript, node: LabNode, database: string): Promise<string[]> {
  return (await t.succeed(node, `mariadb -N -B -e ${quote(listTablesSql(database))}`)).trim().split('\n').filter(Boolean);
}
