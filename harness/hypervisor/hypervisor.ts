import { execa } from 'execa';
import { cutPower, VOLATILE_DISKS_DIR, type DiscardedWrites } from './volatile-disk/volatile-disk.js';
import { QEMU_PID_DIR, qemuPowerCut } from './qemu-process.js';
import { LOCAL_LIBVIRT_URI } from '../config/libvirt-uri.js';

/** Runs a program: here (a process already inside the lab) or through the lab's `ip netns exec`. */
export type CommandRunner = (file: string, args: readonly string[], options?: { reject?: boolean; timeout?: number; env?: Record<string, string> }) => Promise<{ exitCode?: number; stdout?: unknown }>;

const here: CommandRunner = (file, args, options) => execa(file, args, options);

/**
 * The one handle on the hypervisor: every virsh the harness runs goes through here (power,
 * freeze, the NIC's link, snapshots, and the lab's own domains, networks and pools).
 */
export class Hypervisor {
  /** `uri`: this machine's libvirt, or another host's over SSH (the run's `libvirtUri`). `qemuPidDir`: libvirt's qemu PID files (a power cut freezes a VM with a volatile disk by its PID). `disksDir`: where the lab's volatile disks are found by their VM's name (a test gives its own: a power cut would cut a real one). */
  constructor(private readonly runner: CommandRunner = here, readonly uri = LOCAL_LIBVIRT_URI, readonly disksDir = VOLATILE_DISKS_DIR, readonly qemuPidDir = QEMU_PID_DIR) {}

  /** virsh's words for a command, against this hypervisor. */
  private command(args: readonly string[]): string[] {
    return ['-q', '-c', this.uri, ...args];
  }

  /** virsh's output; rejects with virsh's own words when it fails. */
  async virsh(...args: string[]): Promise<string> {
    return String((await this.runner('virsh', this.command(args))).stdout ?? '');
  }

  /** virsh's output, or undefined when it failed: a lookup of what may not exist. */
  async query(...args: string[]): Promise<string | undefined> {
    const result = await this.runner('virsh', this.command(args), { reject: false });
    return result.exitCode === 0 ? String(result.stdout ?? '') : undefined;
  }

  /** Whether a libvirtd answers at this URI (without LIBVIRT_DEFAULT_URI's say). */
  async answers(timeoutMs = 10_000): Promise<boolean> {
    const result = await this.runner('virsh', this.command(['uri']), { reject: false, timeout: timeoutMs, env: { LIBVIRT_DEFAULT_URI: '' } });
    return result.exitCode === 0;
  }

  domain(name: string): Domain {
    return new Domain(this, name);
  }
}

/** One VM as the hypervisor sees it: its power, its NIC's cable, its snapshots. */
export class Domain {
  constructor(private readonly hypervisor: Hypervisor, readonly name: string) {}

  /** libvirt's word for the VM's power: running, paused, shut off… */
  async state(): Promise<string> {
    return (await this.hypervisor.virsh('domstate', this.name)).trim();
  }

  /** Freezes the whole VM: its timers, heartbeat and DRBD stop with it. */
  suspend = () => this.hypervisor.virsh('suspend', this.name);
  resume = () => this.hypervisor.virsh('resume', this.name);
  /** The power cut: no shutdown, no flush; a volatile disk loses its cache with it (what it discarded, returned). */
  powerOff = (): Promise<DiscardedWrites | undefined> => cutPower(this.name, qemuPowerCut(this.name, (...args) => this.hypervisor.virsh(...args), this.hypervisor.qemuPidDir), this.hypervisor.disksDir);
  powerOn = () => this.hypervisor.virsh('start', this.name);

  /** The NIC with this MAC: its cable in or out. */
  setLink = (mac: string, state: 'up' | 'down') => this.hypervisor.virsh('domif-setlink', this.name, mac, state);

  /** Its snapshots' names (libvirt's internal qcow2 snapshots: disks and memory); rejects when the domain cannot be asked. */
  async snapshots(): Promise<string[]> {
    return (await this.hypervisor.virsh('snapshot-list', this.name, '--name')).split('\n').map((l) => l.trim()).filter(Boolean);
  }

  createSnapshot = (name: string, description: string) => this.hypervisor.virsh('snapshot-create-as', this.name, name, '--atomic', '--description', description);
  deleteSnapshot = (name: string) => this.hypervisor.virsh('snapshot-delete', this.name, name);
  /** Back to the snapshot, left paused (the caller resumes every VM at once). */
  revertPaused = (name: string) => this.hypervisor.virsh('snapshot-revert', this.name, name, '--paused');
}
