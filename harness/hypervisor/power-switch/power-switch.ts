import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createHash, timingSafeEqual } from 'node:crypto';
import { cutPower, describeDiscarded } from '../volatile-disk/volatile-disk.js';
import { qemuPowerCut } from '../qemu-process.js';

/**
 * The lab's power switch: what heartbeat's STONITH plugin on a node (external/halab-power-switch)
 * asks to power-cycle its peer, served by the harness on the management network's host end for
 * as long as the specs run. It acts like a PDU outlet: `reset` cuts a running or frozen VM's power
 * and turns it on again, `off` cuts it; a VM found powered off stays off and counts as fenced
 * (the fault that cut it brings it back, as an operator would).
 */
export interface PowerSwitchOptions {
  host: string;
  port: number;
  /** What the plugin sends as `Authorization: Bearer …`. */
  token: string;
  /** Node name → libvirt domain: the only outlets there are. */
  domains: Readonly<Record<string, string>>;
  /** Runs virsh (the lab's libvirt); resolves with its stdout, rejects when it fails. */
  virsh(...args: string[]): Promise<string>;
  /** Where the outlets' volatile disks are found by their VM's name (VOLATILE_DISKS_DIR in the lab): their cache goes with the power. */
  volatileDisks: string;
  /** Where libvirt keeps the outlets' qemu PIDs (QEMU_PID_DIR in the lab): a VM with a volatile disk is frozen by its PID before its cache goes. */
  qemuPids: string;
  /** Each operation, one line, as it ends (the run's evidence). */
  record?(operation: PowerOperation): void;
  /** Address → node: who may ask (each node's management address); a request from any other address is refused. Absent: any address. */
  askers?: Readonly<Record<string, string>>;
  /** At most this many requests in `floodWindowMs` from all askers together; beyond, each is refused (429) and logged. */
  floodLimit?: number;
  floodWindowMs?: number;
}

export interface PowerOperation {
  at: string;
  /** The address of whoever asked: which node fenced which. */
  from: string;
  /** The lab node at that address, where it is one. */
  asker?: string;
  action: 'reset' | 'off' | 'unknown';
  node: string;
  /** The domain's state before, as virsh domstate says it. */
  before: string;
  outcome: 'power-cycled' | 'powered off' | 'already off' | 'refused' | 'failed';
  detail?: string;
  /** When the power was cut (ms since the epoch): from then on the node held nothing. */
  cutAt?: number;
}

export interface PowerSwitch {
  readonly url: string;
  readonly operations: readonly PowerOperation[];
  close(): Promise<void>;
}

const OFF_STATES = new Set(['shut off', 'crashed']);

/** The Authorization header against the token, in constant time whatever the lengths (both hashed first). */
export function tokenMatches(header: string | undefined, token: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(String(header ?? '')), digest(`Bearer ${token}`)) && Boolean(token);
}

function authorized(request: IncomingMessage, token: string): boolean {
  return tokenMatches(request.headers.authorization, token);
}

export function describeOperation(op: PowerOperation): string {
  return `${op.at} ${op.asker ? `${op.asker} (${op.from})` : op.from} asked ${op.action} of ${op.node} (was ${op.before}): ${op.outcome}${op.detail ? ` (${op.detail})` : ''}`;
}

/** Handles one request; the server below only binds it to a socket (the unit tests call it directly). */
export async function handlePowerRequest(options: PowerSwitchOptions, method: string, path: string, from: string, isAuthorized: boolean):
  Promise<{ status: number; body: string; operation?: PowerOperation }> {
  if (method === 'GET' && path === '/status') return { status: 200, body: `ha-lab power switch: outlets ${Object.keys(options.domains).join(', ')}\n` };
  const asker = options.askers?.[from];
  const match = /^\/(reset|off)\/([A-Za-z0-9_-]+)$/.exec(path);
  let cutAt: number | undefined;
  let detail: string | undefined;
  const operation = (action: PowerOperation['action'], node: string, before: string, outcome: PowerOperation['outcome'], why = detail): PowerOperation =>
    ({ at: new Date().toISOString(), from, ...(asker && { asker }), action, node, before, outcome, ...(why ? { detail: why } : {}), ...(cutAt ? { cutAt } : {}) });
  // Every refusal is an operation with its reason: the run's evidence shows who asked what, and why nothing happened.
  if (method !== 'POST' || !match) {
    return { status: 404, body: 'the switch knows GET /status, POST /reset/<node>, POST /off/<node>\n', operation: operation('unknown', '?', '?', 'refused', `unknown request ${method} ${path.slice(0, 80)}`) };
  }
  const action = match[1] as 'reset' | 'off';
  const node = match[2];
  if (options.askers && !asker) return { status: 403, body: `${from} is not a lab node\n`, operation: operation(action, node, '?', 'refused', `${from} is not a lab node's address`) };
  if (!isAuthorized) return { status: 403, body: 'wrong or missing token\n', operation: operation(action, node, '?', 'refused', 'wrong or missing token') };
  const domain = Object.hasOwn(options.domains, node) ? options.domains[node] : undefined;
  if (!domain) return { status: 404, body: `no outlet for ${node}\n`, operation: operation(action, node, '?', 'refused', `no outlet for ${node}: not a lab node`) };
  let before = '?';
  try {
    before = (await options.virsh('domstate', domain)).trim();
    if (OFF_STATES.has(before)) return { status: 200, body: `${node} is off: fenced\n`, operation: operation(action, node, before, 'already off') };
    const discarded = await cutPower(domain, qemuPowerCut(domain, options.virsh, options.qemuPids), options.volatileDisks);
    cutAt = Date.now();
    if (discarded) detail = `its disk's cache lost ${describeDiscarded(discarded)}`;
    if (action === 'off') return { status: 200, body: `${node} powered off\n`, operation: operation(action, node, before, 'powered off') };
    await options.virsh('start', domain);
    return { status: 200, body: `${node} power-cycled\n`, operation: operation(action, node, before, 'power-cycled') };
  } catch (error) {
    const failure = (error as Error).message.split('\n')[0];
    return { status: 500, body: `${node}: ${failure}\n`, operation: operation(action, node, before, 'failed', failure) };
  }
}

/** True while at most `limit` calls fell in the last `windowMs`. */
export function floodGuard(limit: number, windowMs: number, now: () => number = Date.now): () => boolean {
  const recent: number[] = [];
  return () => {
    const t = now();
    while (recent.length && t - recent[0] >= windowMs) recent.shift();
    if (recent.length >= limit) return false;
    recent.push(t);
    return true;
  };
}

/** Starts the switch; rejects when the address cannot be bound (e.g. the management network is not up). */
export async function startPowerSwitch(options: PowerSwitchOptions): Promise<PowerSwitch> {
  const operations: PowerOperation[] = [];
  const { floodLimit = 30, floodWindowMs = 10_000 } = options;
  const flood = floodGuard(floodLimit, floodWindowMs);
  const keep = (operation: PowerOperation) => {
    operations.push(operation);
    options.record?.(operation);
  };
  // One outlet operation at a time, as a real switch: two fences of the same node never interleave.
  let queue: Promise<unknown> = Promise.resolve();
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const from = request.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '?';
    // A flood is refused before it queues: it cannot delay a real fence behind it for long.
    if (!flood()) {
      const asker = options.askers?.[from];
      keep({ at: new Date().toISOString(), from, ...(asker && { asker }), action: 'unknown', node: '?', before: '?', outcome: 'refused', detail: `more than ${floodLimit} requests in ${floodWindowMs / 1000} s` });
      response.writeHead(429, { 'content-type': 'text/plain' }).end('too many requests\n');
      return;
    }
    const turn = queue.then(() => handlePowerRequest(options, request.method ?? 'GET', request.url ?? '/', from, authorized(request, options.token)));
    queue = turn.catch(() => {});
    void turn.then(({ status, body, operation }) => {
      if (operation) keep(operation);
      response.writeHead(status, { 'content-type': 'text/plain' }).end(body);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const bound = server.address();
  return {
    url: `http://${options.host}:${typeof bound === 'object' && bound ? bound.port : options.port}`,
    operations,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
