/** V0: the deployed configuration, read back from the nodes, against the guide's requirements table. */
import * as allure from 'allure-js-commons';
import { expect, inject } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { audit, configSignoffRow, describeDeviations, drbdMinor, loadAcceptance, log, readMysqlFacts, readNodeConfig, renderAuditTable } from '../../harness/index.js';
import type { Lab } from './fixture.js';

/**
 * Reads what is in force on both nodes and through the VIP (linux01 holding the group), checks
 * every row of harness/checking/audit/requirements.ts, attaches the table and writes it to
 * the run's config-audit-<when>.md. Each row that deviates is a named finding (CONFIG-<row>) in
 * V0's sign-off row; the spec fails on those the run's acceptance file does not accept.
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
  const file = cluster.reports.configAudit(when);
  writeFileSync(file, `# V0: the deployed configuration, ${cluster.run.config ? `the operator's (${cluster.run.config})` : `${t.profile.name} profile`} (${when})\n\n${table}`);
  await allure.attachment(`V0 requirements table (${when})`, table, 'text/markdown');
  await allure.attachment('V0 raw configuration read from the nodes', JSON.stringify({ nodes, mysql }, null, 2), 'application/json');
  const acceptance = loadAcceptance(inject('run').acceptanceFile);
  const { row, judgement } = configSignoffRow(rows, acceptance, when, basename(file));
  const dir = join(cluster.reports.scenarios, 'V0-configuration');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'signoff.json'), JSON.stringify(row, null, 2));
  for (const line of describeDeviations(rows)) log('V0', line);
  await allure.parameter('V0 findings', judgement.reproduced.map((a) => a.finding).join(' ') || 'none', { excluded: true });
  expect(judgement.failures, `V0 (${when}): the deployed configuration against the guide's requirements, judged against ${acceptance.profile}'s accepted findings`).toEqual([]);
}
