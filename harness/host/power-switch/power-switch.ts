import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';

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
  /** Each operation, one line, as it ends (the run's evidence). */
  record?(operation: PowerOperation): void;
}

export interface PowerOperation {
  at: string;
  /** The address of whoever asked: which node fenced which. */
  from: string;
  action: 'reset' | 'off';
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

function authorized(request: IncomingMessage, token: string): boolean {
  const given = Buffer.from(String(request.headers.authorization ?? ''));
  const wanted = Buffer.from(`Bearer ${token}`);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

export function describeOperation(op: PowerOperation): string {
  return `${op.at} ${op.from} asked ${op.action} of ${op.node} (was ${op.before}): ${op.outcome}${op.detail ? ` (${op.detail})` : ''}`;
}

/** Handles one request; the server below only binds it to a socket (the unit tests call it directly). */
export async function handlePowerRequest(options: PowerSwitchOptions, method: string, path: string, from: string, isAuthorized: boolean):
  Promise<{ status: number; body: string; operation?: PowerOperation }> {
  if (method === 'GET' && path === '/status') return { status: 200, body: `ha-lab power switch: outlets ${Object.keys(options.domains).join(', ')}\n` };
  const match = /^\/(reset|off)\/([A-Za-z0-9_-]+)$/.exec(path);
  if (method !== 'POST' || !match) return { status: 404, body: 'the switch knows GET /status, POST /reset/<node>, POST /off/<node>\n' };
  const action = match[1] as PowerOperation['action'];
  const node = match[2];
  let cutAt: number | undefined;
  const operation = (before: string, outcome: PowerOperation['outcome'], detail?: string): PowerOperation =>
    ({ at: new Date().toISOString(), from, action, node, before, outcome, ...(detail ? { detail } : {}), ...(cutAt ? { cutAt } : {}) });
  if (!isAuthorized) return { status: 403, body: 'wrong or missing token\n', operation: operation('?', 'refused', 'wrong or missing token') };
  const domain = options.domains[node];
  if (!domain) return { status: 404, body: `no outlet for ${node}\n`, operation: operation('?', 'refused', `no outlet for ${node}`) };
  let before = '?';
  try {
    before = (await options.virsh('domstate', domain)).trim();
    if (OFF_STATES.has(before)) return { status: 200, body: `${node} is off: fenced\n`, operation: operation(before, 'already off') };
    await options.virsh('destroy', domain);
    cutAt = Date.now();
    if (action === 'off') return { status: 200, body: `${node} powered off\n`, operation: operation(before, 'powered off') };
    await options.virsh('start', domain);
    return { status: 200, body: `${node} power-cycled\n`, operation: operation(before, 'power-cycled') };
  } catch (error) {
    const detail = (error as Error).message.split('\n')[0];
    return { status: 500, body: `${node}: ${detail}\n`, operation: operation(before, 'failed', detail) };
  }
}

/** Starts the switch; rejects when the address cannot be bound (e.g. the management network is not up). */
export async function startPowerSwitch(options: PowerSwitchOptions): Promise<PowerSwitch> {
  const operations: PowerOperation[] = [];
  // One outlet operation at a time, as a real switch: two fences of the same node never interleave.
  let queue: Promise<unknown> = Promise.resolve();
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const from = request.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '?';
    const turn = queue.then(() => handlePowerRequest(options, request.method ?? 'GET', request.url ?? '/', from, authorized(request, options.token)));
    queue = turn.catch(() => {});
    void turn.then(({ status, body, operation }) => {
      if (operation) {
        operations.push(operation);
        options.record?.(operation);
      }
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
