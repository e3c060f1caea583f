import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { qemuPid, qemuPowerCut } from './qemu-process.js';

const dirs: string[] = [];
const pidDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'halab-qemu-pids-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('qemuPid', () => {
  it('reads libvirt\'s PID file, and names the file when it is missing or holds no PID', () => {
    const dir = pidDir();
    writeFileSync(join(dir, 'vm-a.pid'), '4242\n');
    writeFileSync(join(dir, 'vm-b.pid'), 'garbage');
    expect(qemuPid('vm-a', dir)).toBe(4242);
    expect(() => qemuPid('vm-b', dir)).toThrow(/vm-b\.pid: "garbage" is not a PID/);
    expect(() => qemuPid('vm-c', dir)).toThrow(/vm-c: no qemu PID file .*vm-c\.pid.*does it run on this machine's libvirt/);
  });
});

describe('qemuPowerCut', () => {
  it('without a freeze, is virsh destroy', async () => {
    const virsh = vi.fn(async (..._args: string[]) => '');
    await qemuPowerCut('vm-a', virsh, pidDir()).destroy();
    expect(virsh.mock.calls).toEqual([['destroy', 'vm-a']]);
  });

  it('freezes the VM\'s qemu where it stands (SIGSTOP), then kills it (SIGKILL) and leaves the rest to libvirt', async () => {
    const dir = pidDir();
    const qemu = execa('sleep', ['600'], { reject: false });
    writeFileSync(join(dir, 'vm-a.pid'), String(qemu.pid));
    let state = 'running';
    void qemu.then(() => (state = 'shut off'));
    const virsh = vi.fn(async (verb: string) => (verb === 'domstate' ? `${state}\n` : ''));
    const cut = qemuPowerCut('vm-a', virsh, dir);
    await cut.freeze();
    // Stopped, not ended: /proc says T (once the kernel has delivered the signal, a moment after kill returns).
    await expect.poll(() => readFileSync(`/proc/${qemu.pid}/stat`, 'utf8')).toMatch(/\) T /);
    await cut.destroy();
    expect((await qemu).signal).toBe('SIGKILL');
    expect(virsh.mock.calls.map(([verb]) => verb), 'libvirt saw it go: no virsh destroy').not.toContain('destroy');
  });
});
