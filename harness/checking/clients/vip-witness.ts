import { fileURLToPath } from 'node:url';
import { execa, type ResultPromise } from 'execa';
import mysql from 'mysql2/promise';
import type { ResolvedTopology } from '../../config/topology.js';
import { sleep } from '../../support/time.js';
import { lineReader } from '../../support/lines.js';
import type { History, WitnessEvent } from '../history/history.js';

/** One lab node as the witness knows it: its own lab address and its lab NIC's MAC. */
export interface WitnessedNode {
  name: string;
  address: string;
  mac: string;
}

export interface WitnessOptions {
  /** The host's interface on the lab network (the bridge the VMs' lab NICs are on). */
  interfaceName: string;
  vip: string;
  nodes: readonly WitnessedNode[];
  credentials: { user: string; password: string };
  database: string;
  intervalMs: number;
  /** Hard bound: the witness stops by itself whatever the spec does. */
  maxSeconds: number;
}

/** The prober beside this file: iputils' arping takes whole seconds between requests and unicasts once answered; this one broadcasts every round. */
export const ARP_PROBE = fileURLToPath(new URL('./arp-probe.py', import.meta.url));

/** `1796179797374 192.168.211.120 52:54:00:96:f4:50` (the prober's line) → when, for which address, from which MAC. */
export function parseArpReply(line: string): { at: number; address: string; mac: string } | undefined {
  const match = /^(\d{10,}) (\d+\.\d+\.\d+\.\d+) ([0-9a-f]{2}(?::[0-9a-f]{2}){5})$/.exec(line.trim());
  return match ? { at: Number(match[1]), address: match[2], mac: match[3] } : undefined;
}

/** The host's interface that carries `address` (`ip -o -4 addr show`), e.g. the lab bridge holding 192.168.211.2. */
export function interfaceWithAddress(ipAddrShow: string, address: string): string | undefined {
  for (const line of ipAddrShow.split('\n')) {
    const match = /^\d+:\s+(\S+)\s+inet\s+(\d+\.\d+\.\d+\.\d+)\//.exec(line);
    if (match && match[2] === address) return match[1];
  }
  return undefined;
}

/**
 * The observer outside the guests, from the lab's namespace on the host: every `intervalMs` it
 * asks, by ARP broadcast (arp-probe.py, so that every holder answers every request), who answers
 * for the VIP and for each node's own lab address, and which node's MariaDB answers a query on
 * the VIP. Every answer goes into the history on the harness's clock. It does not stall with a
 * guest: a node whose kernel answers ARP for its own address is alive, and answers for the VIP
 * exactly when it holds it.
 */
export class VipWitness {
  private stopping = false;
  private probe?: ResultPromise;
  private querying?: Promise<void>;
  private answers = 0;

  constructor(private readonly history: History, private readonly options: WitnessOptions) {}

  /** The witness for a topology: the lab interface found by the host's address on it, each node's MAC read from the node. */
  static async forLab(history: History, t: ResolvedTopology, nodes: readonly WitnessedNode[], credentials: { user: string; password: string }): Promise<VipWitness> {
    const { stdout } = await execa('ip', ['-o', '-4', 'addr', 'show']);
    const interfaceName = interfaceWithAddress(stdout, t.network.hostAddress);
    if (!interfaceName) throw new Error(`the host witness: no interface here holds ${t.network.hostAddress} (the lab network's host end); run it inside the lab's namespace`);
    return new VipWitness(history, { interfaceName, vip: t.network.vip, nodes, credentials, database: t.mysql.database, intervalMs: 200, maxSeconds: 1800 });
  }

  start(): void {
    const { interfaceName, vip, nodes, intervalMs, maxSeconds } = this.options;
    const byMac = new Map(nodes.map((n) => [n.mac.toLowerCase(), n.name]));
    this.history.append({ kind: 'note', text: `host witness: ARP every ${intervalMs} ms on ${interfaceName} for ${vip} and ${nodes.map((n) => `${n.name} ${n.address} (${n.mac})`).join(', ')}; MariaDB on ${vip}`, data: { witnessVip: vip } });
    // One prober for every address: a broadcast who-has each round, so that every holder answers every request.
    const probe = execa('python3', [ARP_PROBE, interfaceName, String(intervalMs / 1000), String(maxSeconds), vip, ...nodes.map((n) => n.address)], { reject: false, buffer: { stdout: false, stderr: true } });
    const replies = lineReader((line) => {
      const reply = parseArpReply(line);
      if (reply) this.record({ kind: 'witness', at: reply.at, probe: 'arp', address: reply.address, mac: reply.mac, ...(byMac.has(reply.mac) && { node: byMac.get(reply.mac) }) });
    });
    probe.stdout?.setEncoding('utf8');
    probe.stdout?.on('data', (chunk: string) => replies.push(chunk));
    void probe.then((result) => {
      if (!this.stopping) this.history.append({ kind: 'note', text: `host witness: the ARP prober stopped early (exit ${result.exitCode}): ${String(result.stderr ?? '').trim().split('\n').at(-1) ?? ''}` });
    });
    this.probe = probe;
    this.querying = this.query(Date.now() + maxSeconds * 1000);
  }

  private record(event: Omit<WitnessEvent, 'kind'> & { kind: 'witness' }): void {
    this.history.append(event);
    this.answers++;
  }

  /** `SELECT @@hostname` on the VIP every interval, on one connection made again after any error. */
  private async query(deadline: number): Promise<void> {
    const { vip, credentials, database, intervalMs } = this.options;
    let connection: mysql.Connection | undefined;
    while (!this.stopping && Date.now() < deadline) {
      const at = this.history.now();
      try {
        connection ??= await mysql.createConnection({ host: vip, user: credentials.user, password: credentials.password, database, connectTimeout: 1000 });
        const [rows] = await connection.query<mysql.RowDataPacket[]>({ sql: 'SELECT @@hostname AS host', timeout: 1000 });
        this.record({ kind: 'witness', at, probe: 'mysql', address: vip, node: String(rows[0]?.host) });
      } catch (error) {
        this.record({ kind: 'witness', at, probe: 'mysql', address: vip, error: (error as { code?: string }).code ?? (error as Error).message.split('\n')[0] });
        connection?.destroy();
        connection = undefined;
      }
      await sleep(Math.max(0, intervalMs - (this.history.now() - at)));
    }
    connection?.destroy();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.probe?.kill('SIGTERM');
    await this.probe?.catch(() => undefined);
    await this.querying;
    this.history.append({ kind: 'note', text: `host witness stopped: ${this.answers} answers recorded` });
  }
}
