/** V0: the deployed configuration, read back from the nodes, against the guide's requirements table. */
import * as allure from 'allure-js-commons';
import { expect } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { audit, describeDeviations, drbdMinor, readMysqlFacts, readNodeConfig, renderAuditTable } from '../../harness/index.js';
import type { Lab } from './fixture.js';

/**
 * Reads what is in force on both nodes and through the VIP (linux01 holding the group), checks
 * every row of harness/checking/audit/requirements.ts, attaches the table and writes it to
 * the run's config-audit-<when>.md; fails naming each deviating row, its expected and found value.
 */
export async function expectConfigAudit(lab: Lab, when: string): Promise<void> {
  const { cluster } = lab;
  const t = cluster.topology;
  const nodes = await cluster.each((node) => readNodeConfig(node, t));
  const mysql = await readMysqlFacts(lab.pool, t.mysql.database).catch(() => undefined);
  const rows = audit({
    nodes, mysql, holder: t.primary.name, labInterface: t.network.interface, drbdMinor: drbdMinor(t), variant: cluster.run.variant, hardening: t.profile.hardening,
    addresses: Object.fromEntries(t.nodes.map((n) => [n.name, n.address])),
  });
  const table = renderAuditTable(rows);
  mkdirSync(cluster.reports.dir, { recursive: true });
  writeFileSync(cluster.reports.configAudit(when), `# V0: the deployed configuration, ${t.profile.name} profile (${when})\n\n${table}`);
  await allure.attachment(`V0 requirements table (${when})`, table, 'text/markdown');
  await allure.attachment('V0 raw configuration read from the nodes', JSON.stringify({ nodes, mysql }, null, 2), 'application/json');
  expect(describeDeviations(rows), `V0 (${when}): the deployed configuration against the guide's requirements`).toEqual([]);
}
