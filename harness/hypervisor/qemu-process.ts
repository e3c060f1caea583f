import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sleep } from '../support/time.js';

/** Where libvirt's system instance keeps each running domain's qemu PID. */
export const QEMU_PID_DIR = '/run/libvirt/qemu';

/** The PID of the qemu that runs `domain`, from libvirt's PID file; an error naming the file otherwise. */
export function qemuPid(domain: string, dir = QEMU_PID_DIR): number {
  const file = join(dir, `${domain}.pid`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch (error) {
    throw new Error(`${domain}: no qemu PID file (${(error as Error).message}): does it run on this machine's libvirt?`);
  }
  const pid = Number(text);
  if (!Number.isInteger(pid) || pid <= 1) throw new Error(`${file}: ${JSON.stringify(text)} is not a PID`);
  return pid;
}

/** The two halves of a power cut, with a disk's cache lost between them (volatile-disk.ts, cutPower). */
export interface PowerCut {
  /** The VM stops where it stands: nothing more runs in it, nothing is flushed. */
  freeze(): Promise<void>;
  /** The power goes (no shutdown, no flush); after `freeze`, the frozen VM's. */
  destroy(): Promise<unknown>;
}

/**
 * A power cut of `domain` in two halves. A VM with a volatile disk is first frozen (SIGSTOP to its
 * qemu: unlike a pause, which QEMU ends with a flush of its disks, nothing runs and nothing is
 * flushed), so that its guest never sees the disk's cache go, then killed (SIGKILL); libvirt sees
 * its qemu die and marks the domain shut off. Without the freeze, the guest outlived its disk by the
 * time `virsh destroy` took: its DRBD saw the disk fail (Diskless), its failed flushes counted as
 * done, and a cut of the secondary made replicas differ that a real power cut would not. Without
 * a volatile disk, `destroy` is `virsh destroy` alone.
 */
export function qemuPowerCut(domain: string, virsh: (...args: string[]) => Promise<string>, pidDir = QEMU_PID_DIR): PowerCut {
  let frozen: number | undefined;
  return {
    freeze: async () => {
      const pid = qemuPid(domain, pidDir);
      process.kill(pid, 'SIGSTOP');
      frozen = pid;
    },
    destroy: async () => {
      if (frozen === undefined) return virsh('destroy', domain);
      try {
        process.kill(frozen, 'SIGKILL');
      } catch {
        // already gone
      }
      // libvirt marks the domain shut off once it sees its qemu gone; destroy where it has not yet.
      for (let i = 0; i < 50; i++) {
        const state = (await virsh('domstate', domain).catch(() => '')).trim();
        if (state && state !== 'running' && state !== 'paused') return state;
        await sleep(100);
      }
      return virsh('destroy', domain);
    },
  };
}
