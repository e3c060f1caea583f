import { existsSync, readFileSync, rmSync } from 'node:fs';
import { execa, type ResultPromise } from 'execa';
import { sleep } from '../../support/time.js';

/**
 * A disk with a volatile write cache, as a real disk has one: nbdkit serves a file through its
 * cache filter in writeback mode, so a write reaches the file only when the client flushes (or
 * writes with FUA), and a cut (nbdkit killed) loses every write since the last flush. The log
 * filter in front records each request, so a cut can say what it discarded.
 *
 * The guest's QEMU must pass flushes through: its disk in cache mode `none` or `writeback`,
 * never `unsafe` (which drops them) nor `writethrough`/`directsync` (which make every write FUA).
 */
export class VolatileDisk {
  private constructor(
    readonly file: string,
    readonly socket: string,
    readonly requestLog: string,
    private readonly server: ResultPromise,
  ) {}

  /** nbdkit's arguments: log filter first (it sees the client's requests as sent), then the cache. */
  static arguments(file: string, socket: string, requestLog: string): string[] {
    return ['--foreground', '--unix', socket, '--filter=log', '--filter=cache', 'file', file, 'cache=writeback', `logfile=${requestLog}`];
  }

  /** Serves `file` on `socket` until cut or stopped; resolves once the socket answers. */
  static async start(file: string, socket: string, requestLog = `${socket}.requests.log`): Promise<VolatileDisk> {
    rmSync(socket, { force: true });
    rmSync(requestLog, { force: true });
    const server = execa('nbdkit', VolatileDisk.arguments(file, socket, requestLog), { reject: false, stdio: ['ignore', 'ignore', 'pipe'] });
    for (let i = 0; i < 100 && !existsSync(socket); i++) {
      if (server.exitCode !== null && server.exitCode !== undefined) break;
      await sleep(50);
    }
    if (!existsSync(socket)) {
      server.kill('SIGKILL');
      const { stderr } = await server;
      throw new Error(`nbdkit did not serve ${file} on ${socket}: ${String(stderr ?? '').trim().split('\n').at(-1) ?? ''}`);
    }
    return new VolatileDisk(file, socket, requestLog, server);
  }

  /** The NBD URI a client (QEMU, qemu-io) opens. */
  get uri(): string {
    return `nbd+unix:///?socket=${this.socket}`;
  }

  /** The power goes: nbdkit killed at once, its cache with every unflushed write gone; what was lost, from the request log. */
  async cut(): Promise<DiscardedWrites> {
    this.server.kill('SIGKILL');
    await this.server;
    rmSync(this.socket, { force: true });
    return discardedWrites(existsSync(this.requestLog) ? readFileSync(this.requestLog, 'utf8') : '');
  }
}

/** What a cut threw away: the writes since the last flush that were not FUA. */
export interface DiscardedWrites {
  /** Write requests since the last completed flush. */
  writes: number;
  bytes: number;
  /** Distinct 4 KiB blocks those writes touched. */
  blocks: number;
  /** When the last flush completed (the log's time), or undefined when none did. */
  sinceFlush?: string;
}

const BLOCK = 4096;

/**
 * Reads nbdkit's log filter (`connection=1 Write id=3 offset=0x200000 count=0x100000 fua=0 ...`,
 * `...Flush id=2 return=0`): every completed non-FUA write after the last completed flush was only
 * in the cache. A write or flush that did not complete (no `return=0`) counts as not done.
 */
export function discardedWrites(log: string): DiscardedWrites {
  const requests = new Map<string, { offset: number; count: number; fua: boolean }>();
  let pending: { offset: number; count: number }[] = [];
  let sinceFlush: string | undefined;
  for (const line of log.split('\n')) {
    const at = line.slice(0, 26);
    const write = /connection=(\d+) Write id=(\d+) offset=(0x[0-9a-f]+) count=(0x[0-9a-f]+) fua=([01])/.exec(line);
    if (write) {
      requests.set(`${write[1]}:${write[2]}`, { offset: Number(write[3]), count: Number(write[4]), fua: write[5] === '1' });
      continue;
    }
    const done = /connection=(\d+) \.\.\.(Write|Flush) id=(\d+) return=0/.exec(line);
    if (!done) continue;
    if (done[2] === 'Flush') {
      pending = [];
      sinceFlush = at.trim();
    } else {
      const request = requests.get(`${done[1]}:${done[3]}`);
      if (request && !request.fua) pending.push(request);
    }
  }
  const blocks = new Set<number>();
  for (const w of pending) for (let b = Math.floor(w.offset / BLOCK); b * BLOCK < w.offset + w.count; b++) blocks.add(b);
  return { writes: pending.length, bytes: pending.reduce((sum, w) => sum + w.count, 0), blocks: blocks.size, ...(sinceFlush && { sinceFlush }) };
}
