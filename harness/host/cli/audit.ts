/**
 * `npm run audit -- --inventory <file>`: a read-only audit of a running cluster that the harness
 * did not build (a staging or production pair): no VM, no lab. It reads what is in force (V0's
 * rows, heartbeat's and DRBD's runtime), checks the steady state (V1, V4), watches the cluster
 * for a while from inside (each node's sampler) and outside (the witness), and writes the same
 * sign-off table, Allure results and timeline as a lab run. Every command it sends to a node is
 * on an allowlist of read-only commands; the connection refuses any other before sending it.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { auditCluster, type ClusterAudit } from '../../checking/audit/cluster-audit.js';
import { renderAuditTable } from '../../checking/audit/requirements.js';
import { propertyVerdicts, loadAcceptance, type Acceptance } from '../../checking/signoff/acceptance.js';
import { configSignoffRow, findingsSignoffRow } from '../../checking/signoff/signoff-row.js';
import { renderSignoffMarkdown, renderSignoffText, type SignoffRow } from '../../checking/signoff/signoff-table.js';
import { renderTimelineSvg } from '../../checking/timeline/timeline-svg.js';
import { summarize } from '../../checking/checkers/checker.js';
import { auditAllowlist, SUDO_CHECK } from '../../cluster/audit/audit-commands.js';
import { allowlistPolicy } from '../../cluster/node/command-policy.js';
import { LabNode } from '../../cluster/node/node.js';
import { inventoryTopology, loadInventory, type Inventory } from '../../config/inventory.js';
import { loadTopology, type ResolvedTopology } from '../../config/topology.js';
import { parseDuration } from '../../checking/nemesis/random-schedule.js';
import { log } from '../../support/log.js';
import { REPORTS_ROOT, PROJECT_DIR } from '../../support/paths.js';
import { renderReport, writeCheckResult, writeSignoffResult } from '../report/render.js';
import { EXIT, startCommand } from './command-line.js';
import { writeLabInventory } from '../operator/lab-inventory.js';

const HELP = `npm run audit -- --inventory <file> [options]   audit a running cluster read-only: V0, V1, V4 and a watch, no VMs

  --inventory <file>     the cluster: its two nodes (address, SSH user and key), VIP, DRBD resource, MySQL
                         (docs/operator-config.md; schemas/inventory.schema.json)
  --watch <duration>     how long to watch the cluster as it runs, e.g. 60s (default), 5m
  --acceptance <file>    the accepted findings to judge against (default: the inventory's "acceptance", else none)
  --write-lab-inventory <file>
                         write the inventory of the lab cluster a \`npm run e2e -- --keep\` run left (as if it
                         were someone else's), to rehearse the audit; nothing else
  -h, --help             this text

Every command sent to a node is on the audit's allowlist of read-only commands (the connection refuses
any other); it needs passwordless sudo for them. Reports: reports/audit-<inventory name>/.
Exit codes: 0 every finding accepted, 1 a finding not accepted or a node unreachable, 2 the command line or inventory was refused.`;

/** Connects to each node with its allowlist policy and checks sudo; a clear error naming the node, host, user and key otherwise. */
async function connect(inventory: Inventory, t: ResolvedTopology): Promise<LabNode[]> {
  const nodes: LabNode[] = [];
  try {
    for (const spec of inventory.nodes) {
      const { host, port, user, key } = spec.ssh;
      if (!existsSync(key)) throw new Error(`${spec.name}: the SSH key ${key} does not exist (the inventory's nodes[].ssh.key)`);
      const policy = allowlistPolicy(spec.name, await auditAllowlist(t, spec.name));
      const node = await LabNode.connect({ name: spec.name, address: spec.address, endpoint: { host: spec.name, hostName: host, port, user, identityFiles: [key] }, domain: '', labInterface: t.network.interface, policy }, 20)
        .catch((error: Error) => {
          throw new Error(`${spec.name}: cannot connect to ${user}@${host}:${port} with ${key}: ${error.message.split('\n')[0]}`);
        });
      nodes.push(node);
      const sudo = await node.run(SUDO_CHECK);
      if (sudo.code !== 0) throw new Error(`${spec.name}: ${user} cannot run commands as root without a password (sudo -n: ${sudo.stderr.trim().split('\n')[0]}); the audit's read-only commands need it`);
    }
    return nodes;
  } catch (error) {
    for (const node of nodes) node.dispose();
    throw error;
  }
}

/** The audit's rows, judged; the files; the table. */
function signOff(result: ClusterAudit, acceptance: Acceptance, dir: string, watchSeconds: number, startedAt: number): SignoffRow[] {
  const scenarios = join(dir, 'scenarios');
  const configTable = renderAuditTable(result.rows);
  writeFileSync(join(dir, 'config-audit-audit.md'), `# V0: the configuration in force (read-only audit)\n\n${configTable}`);
  const v0 = configSignoffRow(result.rows, acceptance, 'read-only audit', 'config-audit-audit.md');
  const watchDir = join(scenarios, 'a1-watch');
  mkdirSync(watchDir, { recursive: true });
  const svg = renderTimelineSvg(result.history, { title: `A1 the cluster as it runs, ${watchSeconds} s: ${summarize(result.watch).split('\n')[0]}` });
  writeFileSync(join(watchDir, 'history.jsonl'), result.history.toJsonLines());
  writeFileSync(join(watchDir, 'timeline.svg'), svg);
  writeFileSync(join(watchDir, 'verdict.json'), JSON.stringify({ steadyState: result.steadyState, watch: result.watch, holdings: result.holdings }, null, 2));
  const a1 = findingsSignoffRow({
    id: 'A1', name: `steady state (V1, V4) and ${watchSeconds} s of watching, read-only`, kind: 'watch',
    verdicts: propertyVerdicts(result.watch, result.steadyState), timeline: 'scenarios/a1-watch/timeline.svg', startedFrom: `holder ${result.holder ?? 'none'}`,
  }, acceptance);
  mkdirSync(join(scenarios, 'v0-configuration'), { recursive: true });
  writeFileSync(join(scenarios, 'v0-configuration', 'signoff.json'), JSON.stringify(v0.row, null, 2));
  writeFileSync(join(watchDir, 'signoff.json'), JSON.stringify(a1.row, null, 2));
  const results = join(dir, 'allure-results');
  for (const [row, judgement, attachments] of [
    [v0.row, v0.judgement, [{ name: 'V0 requirements table', content: configTable, type: 'text/markdown', ext: 'md' }, { name: 'V0 raw configuration read from the nodes', content: JSON.stringify({ nodes: result.nodes, mysql: result.mysql }, null, 2), type: 'application/json', ext: 'json' }]],
    [a1.row, a1.judgement, [{ name: 'timeline', content: svg, type: 'image/svg+xml', ext: 'svg' }, { name: 'history.jsonl', content: result.history.toJsonLines(), type: 'application/x-ndjson', ext: 'jsonl' }, { name: 'verdict', content: `${summarize(result.watch)}\n`, type: 'text/plain', ext: 'txt' }]],
  ] as const) {
    writeCheckResult(results, {
      historyId: `ha-lab-audit-${row.id}`, name: `${row.id} ${row.name}`, suite: 'Read-only audit', at: startedAt,
      failed: judgement.failures.length ? judgement.failures.join('; ') : undefined,
      findings: row.verdicts.flatMap((v) => v.findings.map((f) => f.id)), attachments: [...attachments],
    });
  }
  return [v0.row, a1.row];
}

async function audit(inventory: Inventory, acceptance: Acceptance, watchSeconds: number): Promise<number> {
  const startedAt = Date.now();
  const t = inventoryTopology(inventory, loadTopology());
  const password = readFileSync(inventory.mysql.passwordFile, 'utf8').trim();
  const dir = join(REPORTS_ROOT, `audit-${basename(inventory.file).replace(/\.json$/, '')}`);
  for (const output of ['allure-results', 'scenarios', 'signoff.md']) rmSync(join(dir, output), { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const nodes = await connect(inventory, t);
  let rows: SignoffRow[];
  try {
    log('audit', `connected to ${nodes.map((n) => `${n.name} (${n.endpoint.user}@${n.endpoint.hostName})`).join(', ')}; every command is checked against the read-only allowlist`);
    const result = await auditCluster(t, nodes, { watchSeconds, credentials: { user: inventory.mysql.user, password }, ...(inventory.witness && { witnessInterface: inventory.witness.interface }) });
    rows = signOff(result, acceptance, dir, watchSeconds, startedAt);
  } finally {
    for (const node of nodes) node.dispose();
  }
  const markdown = renderSignoffMarkdown(rows, {
    date: new Date().toISOString().slice(0, 10), commit: 'read-only audit',
    facts: { inventory: relative(PROJECT_DIR, inventory.file) || inventory.file, nodes: inventory.nodes.map((n) => `${n.name} ${n.address}`).join(', '), vip: inventory.vip, watch: `${watchSeconds} s`, acceptance: acceptance.profile },
  });
  writeFileSync(join(dir, 'signoff.md'), markdown);
  const failures = rows.flatMap((r) => r.judgement.failures);
  writeSignoffResult(join(dir, 'allure-results'), markdown, failures.length > 0, startedAt);
  await renderReport(dir, undefined, `audit-${basename(inventory.file).replace(/\.json$/, '')}`).catch((error: Error) => log('report', `not rendered: ${error.message}`));
  process.stderr.write(`\nha-lab read-only audit (${relative(PROJECT_DIR, join(dir, 'signoff.md'))}):\n${renderSignoffText(rows)}\n`);
  for (const failure of failures) log('audit', `FAILED: ${failure}`);
  log('audit', failures.length ? `${failures.length} finding(s) not accepted` : 'every finding is accepted');
  return failures.length ? EXIT.failed : EXIT.ok;
}

async function main(argv: readonly string[]): Promise<number> {
  const start = startCommand('audit', argv, { inventory: { type: 'string' }, watch: { type: 'string' }, acceptance: { type: 'string' }, 'write-lab-inventory': { type: 'string' } } as const, HELP);
  if (start.exit !== undefined) return start.exit;
  if (start.values['write-lab-inventory']) {
    try {
      log('audit', `inventory of the kept lab cluster written: ${writeLabInventory(start.values['write-lab-inventory'])}`);
      return EXIT.ok;
    } catch (error) {
      log('audit', `no kept lab cluster to write an inventory of (${(error as Error).message.split('\n')[0]}); keep one with \`npm run e2e -- --keep\``);
      return EXIT.failed;
    }
  }
  let inventory: Inventory;
  let acceptance: Acceptance;
  let watchSeconds: number;
  try {
    if (!start.values.inventory) throw new Error('--inventory <file> is required: the cluster to audit (--help)');
    inventory = loadInventory(start.values.inventory);
    watchSeconds = parseDuration(start.values.watch ?? '60s', '--watch');
    if (!existsSync(inventory.mysql.passwordFile)) throw new Error(`${inventory.file}: mysql.passwordFile ${inventory.mysql.passwordFile} does not exist`);
    const acceptanceFile = start.values.acceptance ?? inventory.acceptanceFile;
    acceptance = acceptanceFile ? loadAcceptance(acceptanceFile) : { profile: 'audit (no accepted findings)', accepted: [], acceptsDataSafety: false };
  } catch (error) {
    log('audit', (error as Error).message);
    return EXIT.usage;
  }
  try {
    return await audit(inventory, acceptance, watchSeconds);
  } catch (error) {
    log('audit', `FAILED: ${(error as Error).message}`);
    return EXIT.failed;
  }
}

process.exit(await main(process.argv.slice(2)));
