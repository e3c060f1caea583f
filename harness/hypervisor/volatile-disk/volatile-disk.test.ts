import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { cutPower, discardedWrites, removeVolatileDisk, VolatileDisk } from './volatile-disk.js';

const dir = mkdtempSync(join(tmpdir(), 'halab-volatile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const MiB = 1024 * 1024;

/** The bytes of the backing file at an offset: what survived. */
const byteAt = (file: string, offset: number) => readFileSync(file).subarray(offset, offset + 1)[0];

describe('a disk with a volatile write cache: the contract, on the real nbdkit', () => {
  it('keeps what was flushed or written with FUA, and a cut loses every other write since the last flush, saying how much', async () => {
    for (const tool of ['nbdkit', 'qemu-io']) {
      const found = await execa('sh', ['-c', `command -v ${tool}`], { reject: false });
      expect(found.exitCode, `${tool} is needed (Debian's nbdkit, qemu-utils: .ci/run and the e2e preflight install them)`).toBe(0);
    }
    const file = join(dir, 'data.raw');
    writeFileSync(file, '');
    truncateSync(file, 16 * MiB);
    const disk = await VolatileDisk.serve('vm-a', file, dir);
    expect(VolatileDisk.find('vm-a', dir)?.pid, 'found by its name while it runs').toBe(disk.pid);
    // A client that writes as a guest does (writeback: no FUA unless asked), then stays connected.
    const client = execa('qemu-io', ['-t', 'writeback', '-f', 'raw',
      '-c', 'write -P 0xab 0 1M', '-c', 'flush', '-c', 'write -P 0xcd 1M 1M', '-c', 'write -f -P 0xef 2M 64k', '-c', 'write -P 0x11 4M 8k', '-c', 'sleep 10000', disk.uri], { reject: false });
    await vi.waitFor(() => expect(readFileSync(disk.requestLog, 'utf8').match(/\.\.\.Write id=\d+ return=0/g)?.length).toBe(4), { timeout: 15_000, interval: 100 });
    const lost = await disk.cut();
    await client;
    expect(byteAt(file, 0), 'written, then flushed: on the disk').toBe(0xab);
    expect(byteAt(file, 2 * MiB), 'written with FUA: on the disk').toBe(0xef);
    expect(byteAt(file, MiB), 'written after the flush, never flushed: gone').toBe(0);
    expect(byteAt(file, 4 * MiB), 'written after the flush, never flushed: gone').toBe(0);
    expect(lost).toMatchObject({ writes: 2, bytes: MiB + 8192, blocks: 256 + 2 });
    expect(lost.sinceFlush).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+$/);
    expect(VolatileDisk.find('vm-a', dir), 'gone with the power').toBeUndefined();
  }, 30_000);

  it('a power cut of a VM freezes it, then cuts its disk, then ends it (the guest never sees its disk go, QEMU never flushes it), then serves the disk again', async () => {
    const file = join(dir, 'b.raw');
    writeFileSync(file, '');
    truncateSync(file, 4 * MiB);
    const disk = await VolatileDisk.serve('vm-b', file, dir);
    const client = execa('qemu-io', ['-t', 'writeback', '-f', 'raw', '-c', 'write -P 0x22 0 64k', '-c', 'sleep 10000', disk.uri], { reject: false });
    await vi.waitFor(() => expect(readFileSync(disk.requestLog, 'utf8')).toMatch(/\.\.\.Write id=\d+ return=0/), { timeout: 15_000, interval: 100 });
    const order: string[] = [];
    const served = () => (VolatileDisk.find('vm-b', dir) ? 'disk served' : 'disk cut');
    // The "VM" here is qemu-io: frozen and killed as qemuPowerCut does its qemu.
    const lost = await cutPower('vm-b', {
      freeze: async () => {
        order.push(`freeze (${served()})`);
        client.kill('SIGSTOP');
      },
      destroy: async () => {
        order.push(`destroy (${served()})`);
        client.kill('SIGKILL');
        await client;
      },
    }, dir);
    expect(order, 'frozen while its disk was still served, ended once it was cut').toEqual(['freeze (disk served)', 'destroy (disk cut)']);
    expect(lost).toMatchObject({ writes: 1, bytes: 65536, blocks: 16 });
    expect(byteAt(file, 0), 'the unflushed write did not survive').toBe(0);
    const again = VolatileDisk.find('vm-b', dir);
    expect(again, 'served again for the power-on').toBeDefined();
    expect(again!.pid).not.toBe(disk.pid);
    const plain: string[] = [];
    expect(await cutPower('vm-none', { freeze: async () => void plain.push('freeze'), destroy: async () => plain.push('destroy') }, dir), 'no volatile disk: nothing discarded').toBeUndefined();
    expect(plain, 'no volatile disk: the power cut alone, no freeze').toEqual(['destroy']);
    await removeVolatileDisk('vm-b', dir);
    expect(VolatileDisk.find('vm-b', dir)).toBeUndefined();
    expect(VolatileDisk.recorded('vm-', dir), 'a cut disk keeps its record (down removes it); a removed one does not').toEqual(['vm-a']);
  }, 30_000);

  it('refuses to start on a file nbdkit cannot serve, saying why', async () => {
    await expect(VolatileDisk.serve('vm-missing', join(dir, 'missing.raw'), dir)).rejects.toThrow(/nbdkit did not serve .*missing\.raw.*: .+/);
  }, 15_000);
});

describe('discardedWrites: what a cut lost, from nbdkit\'s request log', () => {
  const log = (...lines: string[]) => lines.map((l, i) => `2026-12-02 10:38:0${i}.000000 connection=1 ${l}`).join('\n');

  it('nothing after the last flush: nothing lost', () => {
    expect(discardedWrites(log('Write id=1 offset=0x0 count=0x1000 fua=0 ...', '...Write id=1 return=0', 'Flush id=2 ...', '...Flush id=2 return=0'))).toEqual({ writes: 0, bytes: 0, blocks: 0, sinceFlush: '2026-12-02 10:38:03.000000' });
  });

  it('completed non-FUA writes after it, by blocks touched; FUA writes and writes that never completed are not counted', () => {
    expect(discardedWrites(log(
      'Flush id=1 ...', '...Flush id=1 return=0',
      'Write id=2 offset=0x800 count=0x1000 fua=0 ...', '...Write id=2 return=0',
      'Write id=3 offset=0x10000 count=0x1000 fua=1 ...', '...Write id=3 return=0',
      'Write id=4 offset=0x20000 count=0x1000 fua=0 ...',
      'Flush id=5 ...',
    ))).toEqual({ writes: 1, bytes: 4096, blocks: 2, sinceFlush: '2026-12-02 10:38:01.000000' });
  });

  it('no flush at all: every completed write since the start, and no flush to name', () => {
    expect(discardedWrites(log('Write id=1 offset=0x0 count=0x2000 fua=0 ...', '...Write id=1 return=0'))).toEqual({ writes: 1, bytes: 8192, blocks: 2 });
  });

  it('the same id on two connections are two writes', () => {
    const two = ['2026-12-02 10:38:00.000000 connection=1 Write id=1 offset=0x0 count=0x1000 fua=0 ...', '2026-12-02 10:38:00.100000 connection=2 Write id=1 offset=0x1000 count=0x1000 fua=1 ...',
      '2026-12-02 10:38:00.200000 connection=1 ...Write id=1 return=0', '2026-12-02 10:38:00.300000 connection=2 ...Write id=1 return=0'].join('\n');
    expect(discardedWrites(two)).toEqual({ writes: 1, bytes: 4096, blocks: 1 });
  });
});

describe('VolatileDisk.arguments', () => {
  it('logs the client\'s requests before the cache, in writeback', () => {
    expect(VolatileDisk.arguments('/d.raw', { socket: '/d.sock', pidFile: '/d.pid', requestLog: '/d.log' })).toEqual(['--unix', '/d.sock', '--pidfile', '/d.pid', '--filter=log', '--filter=cache', 'file', '/d.raw', 'cache=writeback', 'logfile=/d.log']);
  });
});
