/**
 * A node powered on again, as the sign-off needs to see it: first left alone for a while, with
 * what it started by itself written into the history (the rejoin checker judges it), then, where
 * it did not rejoin, the operator's return steps as named `operator` operations in the history.
 * The guide's configuration enables neither DRBD nor heartbeat at boot: nothing happens by itself;
 * a hardened profile's node starts both (HD2), heartbeat only once its disk is UpToDate.
 */
import { drbdMinor } from '../../cluster/drbd/drbd.js';
import type { LabNode } from '../../cluster/node/node.js';
import { sleep } from '../../support/time.js';
import type { FaultContext } from './fault.js';

/** How long a booted node is left untouched: units enabled at boot are up (or, a hardened heartbeat, `activating` while HD2 waits) well within this after SSH answers. */
export const BOOT_WATCH_SECONDS = 20;

/** What a node runs by itself after booting, and what is enabled to start at boot. */
export interface BootFacts {
  node: string;
  watchedSeconds: number;
  /** The resource's connection state, or `not configured`. */
  drbd: string;
  active: Record<string, string>;
  enabled: Record<string, string>;
  /** DRBD configured and heartbeat running: the node is back in the cluster by itself. */
  rejoined: boolean;
}

/** The shell that reads them: one `key value` line each. */
export function bootFactsCommand(minor: number): string {
  return [
    `printf 'drbd %s\\n' "$(sed -n 's/^ *${minor}: cs:\\([A-Za-z]*\\).*/\\1/p' /proc/drbd 2>/dev/null)"`,
    'for u in heartbeat mariadb; do printf \'active-%s %s\\n\' $u "$(systemctl is-active $u 2>/dev/null)"; done',
    'for u in drbd heartbeat; do printf \'enabled-%s %s\\n\' $u "$(systemctl is-enabled $u 2>/dev/null | head -n 1)"; done',
  ].join('; ');
}

export function parseBootFacts(node: string, text: string, watchedSeconds: number): BootFacts {
  const active: Record<string, string> = {};
  const enabled: Record<string, string> = {};
  let drbd = 'not configured';
  for (const line of text.split('\n')) {
    const [key, ...rest] = line.trim().split(/\s+/);
    const value = rest.join(' ') || 'unknown';
    if (key === 'drbd') drbd = rest.length ? value : 'not configured';
    else if (key?.startsWith('active-')) active[key.slice(7)] = value;
    else if (key?.startsWith('enabled-')) enabled[key.slice(8)] = value;
  }
  // `activating`: a hardened node's heartbeat waiting for its disk to be UpToDate (HD2) is rejoining by itself.
  return { node, watchedSeconds, drbd, active, enabled, rejoined: drbd !== 'not configured' && (active.heartbeat === 'active' || active.heartbeat === 'activating') };
}

export function describeBoot(f: BootFacts): string {
  const units = Object.entries(f.active).map(([unit, state]) => `${unit} ${state}${f.enabled[unit] ? ` (${f.enabled[unit]} at boot)` : ''}`);
  const drbdUnit = f.enabled.drbd ? `, drbd unit ${f.enabled.drbd} at boot` : '';
  return `${f.node}, left alone ${f.watchedSeconds} s after booting: DRBD ${f.drbd === 'not configured' ? 'resource not configured' : `cs:${f.drbd}`}${drbdUnit}; ${units.join(', ')}` +
    `${f.rejoined ? ': rejoined by itself' : ': did not rejoin by itself'}`;
}

/** The note a returning node leaves; the rejoin checker reads its data. */
export const BOOT_NOTE = 'boot untouched';

/** An operator's return step on a node, as an `operator` operation in the history (invoke, then ok or fail). */
export async function operatorStep(ctx: FaultContext, node: LabNode, f: string, command: string): Promise<void> {
  ctx.history.append({ kind: 'op', process: 'operator', type: 'invoke', f, value: [node.name] });
  const result = await node.run(command);
  ctx.history.append({ kind: 'op', process: 'operator', type: result.code === 0 ? 'ok' : 'fail', f, value: [node.name], ...(result.code !== 0 && { error: `${result.stdout}${result.stderr}`.trim().split('\n')[0] }) });
  await ctx.attach(`operator: ${f} on ${node.name}`, `[${node.name}]# ${command}\n${result.stdout}${result.stderr}${result.code ? `(exit ${result.code})\n` : ''}`);
  if (result.code !== 0) throw new Error(`operator step "${f}" on ${node.name} failed (exit ${result.code}): ${`${result.stdout}${result.stderr}`.trim().split('\n')[0]}`);
}

/** Power on: from this moment the node is unseen (it boots) until its sampler answers again. */
export async function powerOn(ctx: FaultContext, node: LabNode): Promise<void> {
  ctx.observers.get(node.name)?.markPoweredOn(ctx.history.now());
  await node.boot();
}

/** Power on, watch what the node does alone, then (if it did not rejoin) the operator's steps: DRBD up, heartbeat started. */
export async function returnNode(ctx: FaultContext, node: LabNode): Promise<BootFacts> {
  await powerOn(ctx, node);
  await sleep(BOOT_WATCH_SECONDS * 1000);
  const t = ctx.cluster.topology;
  const facts = parseBootFacts(node.name, (await node.run(bootFactsCommand(drbdMinor(t)))).stdout, BOOT_WATCH_SECONDS);
  ctx.history.append({ kind: 'note', text: `${BOOT_NOTE}: ${describeBoot(facts)}`, data: { boot: facts } });
  await ctx.attach(`${node.name} after booting, untouched for ${BOOT_WATCH_SECONDS} s`, `${describeBoot(facts)}\n\n${JSON.stringify(facts, null, 2)}\n`);
  if (facts.drbd === 'not configured') await operatorStep(ctx, node, 'drbdadm up', `drbdadm up ${t.drbd.resource}`);
  if (facts.active.heartbeat !== 'active' && facts.active.heartbeat !== 'activating') await operatorStep(ctx, node, 'heartbeat start', 'systemctl start heartbeat');
  return facts;
}
