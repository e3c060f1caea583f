import type { PowerCut } from '../qemu-process.js';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { sleep } from '../../support/time.js';

/** Where the lab's volatile disks keep their sockets, pid files and request logs (qemu, as libvirt's own user, must reach the sockets). */
export const VOLATILE_DISKS_DIR = '/run/ha-lab-disks';

/**
 * A disk with a volatile write cache, as a real disk has one: nbdkit serves a file through its
 * cache filter in writeback mode, so a write reaches the file only when the client flushes (or
 * writes with FUA), and a cut (nbdkit killed) loses every write since the last flush. The log
 * filter in front records each request, so a cut can say what it discarded.
 *
 * nbdkit runs as a daemon named after the VM it serves (its pid file beside its socket), so that
 * a kept cluster's disks outlive the run, and any power cut of the VM (the harness's, the power
 * switch's) finds it by the VM's name.
 *
 * The guest's QEMU must pass flushes through: its disk in cache mode `none` or `writeback`,
 * never `unsafe` (which drops them) nor `writethrough`/`directsync` (which make every write FUA).
 */
export class VolatileDisk {
  private constructor(
    readonly name: string,
    readonly file: string,
    readonly dir: string,
    readonly pid: number,
  ) {}

  static paths(name: string, dir = VOLATILE_DISKS_DIR) {
    return { socket: join(dir, `${name}.sock`), pidFile: join(dir, `${name}.pid`), requestLog: join(dir, `${name}.requests.log`), stderr: join(dir, `${name}.stderr`), record: join(dir, `${name}.json`) };
  }

  /** nbdkit's arguments: log filter first (it sees the client's requests as sent), then the cache. */
  static arguments(file: string, paths: { socket: string; pidFile: string; requestLog: string }): string[] {
    return ['--unix', paths.socket, '--pidfile', paths.pidFile, '--filter=log', '--filter=cache', 'file', file, 'cache=writeback', `logfile=${paths.requestLog}`];
  }

  /** Serves `file` as the disk `name` until cut or stopped; resolves once nbdkit has written its pid, ready for a client. */
  static async serve(name: string, file: string, dir = VOLATILE_DISKS_DIR): Promise<VolatileDisk> {
    mkdirSync(dir, { recursive: true });
    chmodSync(dir, 0o755);
    const paths = VolatileDisk.paths(name, dir);
    for (const path of Object.values(paths)) rmSync(path, { force: true });
    // nbdkit forks into the background once its socket is bound; its stderr goes to a file, which
    // no pipe of ours keeps open.
    const started = await execa('nbdkit', VolatileDisk.arguments(file, paths), { reject: false, stdin: 'ignore', stdout: 'ignore', stderr: { file: paths.stderr }, timeout: 30_000 });
    for (let i = 0; i < 100 && started.exitCode === 0 && !existsSync(paths.pidFile); i++) await sleep(50);
    const pid = existsSync(paths.pidFile) ? Number(readFileSync(paths.pidFile, 'utf8').trim()) : NaN;
    if (started.exitCode !== 0 || !Number.isInteger(pid) || !alive(pid)) {
      const said = readFileSync(paths.stderr, 'utf8').trim().split('\n').at(-1) ?? '';
      throw new Error(`nbdkit did not serve ${file} on ${paths.socket}: ${said || `exit ${started.exitCode}`}`);
    }
    chmodSync(paths.socket, 0o666);
    writeFileSync(paths.record, `${JSON.stringify({ file, pid })}\n`);
    return new VolatileDisk(name, file, dir, pid);
  }

  /** The disk `name` while its nbdkit runs; undefined when there is none (a VM with ordinary disks). */
  static find(name: string, dir = VOLATILE_DISKS_DIR): VolatileDisk | undefined {
    const { record } = VolatileDisk.paths(name, dir);
    if (!existsSync(record)) return undefined;
    const { file, pid } = JSON.parse(readFileSync(record, 'utf8')) as { file: string; pid: number };
    return alive(pid) ? new VolatileDisk(name, file, dir, pid) : undefined;
  }

  /** Every disk with a record under `dir` whose name starts with `prefix`, served or not. */
  static recorded(prefix: string, dir = VOLATILE_DISKS_DIR): string[] {
    if (!existsSync(dir)) return [];
    return readdirSync(dir).filter((f) => f.endsWith('.json') && f.startsWith(prefix)).map((f) => f.slice(0, -'.json'.length));
  }

  get socket(): string {
    return VolatileDisk.paths(this.name, this.dir).socket;
  }

  get requestLog(): string {
    return VolatileDisk.paths(this.name, this.dir).requestLog;
  }

  /** The NBD URI a client (QEMU, qemu-io) opens. */
  get uri(): string {
    return `nbd+unix:///?socket=${this.socket}`;
  }

  /** The power goes: nbdkit killed at once, its cache with every unflushed write gone; what was lost, from the request log. */
  async cut(): Promise<DiscardedWrites> {
    await ended(this.pid, 'SIGKILL');
    rmSync(this.socket, { force: true });
    return discardedWrites(existsSync(this.requestLog) ? readFileSync(this.requestLog, 'utf8') : '');
  }

  /** The same file served again after a cut, with an empty cache: the disk when the power comes back. */
  restart(): Promise<VolatileDisk> {
    return VolatileDisk.serve(this.name, this.file, this.dir);
  }
}

/** Stops the disk `name`'s nbdkit if it runs, and removes its socket, pid file, log and record. */
export async function removeVolatileDisk(name: string, dir = VOLATILE_DISKS_DIR): Promise<void> {
  const disk = VolatileDisk.find(name, dir);
  if (disk) await ended(disk.pid, 'SIGTERM');
  for (const path of Object.values(VolatileDisk.paths(name, dir))) rmSync(path, { force: true });
}

/**
 * A power cut of the VM `name`. With a volatile disk: the VM frozen first (its guest must not see
 * the disk go: it would fail its I/O, and DRBD would take failed flushes for done ones), then the
 * disk's cache discarded (nbdkit killed: QEMU, told to quit, would flush it), then the VM's power.
 * The disk is served again, empty-cached, for the power-on. Undefined: the VM has no volatile disk
 * (then only `vm.destroy`).
 */
export async function cutPower(name: string, vm: PowerCut, dir = VOLATILE_DISKS_DIR): Promise<DiscardedWrites | undefined> {
  const disk = VolatileDisk.find(name, dir);
  if (!disk) {
    await vm.destroy();
    return undefined;
  }
  await vm.freeze();
  let discarded: DiscardedWrites | undefined;
  try {
    discarded = await disk.cut();
  } finally {
    try {
      await vm.destroy();
    } finally {
      await disk.restart();
    }
  }
  return discarded;
}

/** Whether `pid` runs: a zombie (killed, not yet reaped by an init that may never reap it) does not. */
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8') : '';
  return !/\) Z /.test(stat);
};

/** Signals `pid` and waits (up to 10 s) until it is gone. */
async function ended(pid: number, signal: NodeJS.Signals): Promise<void> {
  if (!alive(pid)) return;
  process.kill(pid, signal);
  for (let i = 0; i < 200 && alive(pid); i++) await sleep(50);
  if (alive(pid)) throw new Error(`nbdkit (pid ${pid}) still runs 10 s after ${signal}`);
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

/** One line for a report: `12 write(s), 98304 bytes in 24 block(s) since the flush at …`. */
export function describeDiscarded(d: DiscardedWrites): string {
  return `${d.writes} write(s), ${d.bytes} bytes in ${d.blocks} 4 KiB block(s) ${d.sinceFlush ? `since the flush at ${d.sinceFlush}` : 'with no flush since the disk was served'}`;
}

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
