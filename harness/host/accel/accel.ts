import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { execa, type Options, type ResultPromise } from 'execa';

/** Where the probe runs its programs: here, or on a remote hypervisor's host (over SSH). */
export type ProbeRunner = (file: string, args: readonly string[], options?: Options) => ResultPromise;

export type Accelerator = 'kvm' | 'tcg';

/** What the probe saw: /dev/kvm, and whether a real guest kernel booted under KVM. */
export interface ProbeResult {
  kvmDevice: 'absent' | 'no-access' | 'present';
  /** Only probed when the device is there. */
  kvmBoot?: { booted: boolean; seconds: number; evidence: string };
}

export interface AcceleratorChoice {
  accelerator: Accelerator;
  /** libvirt domain type for vagrant-libvirt's `driver`. */
  libvirtDriver: 'kvm' | 'qemu';
  reason: string;
}

/** Decides from probe results; `override` (HALAB_ACCEL) wins but is reported as such. */
export function chooseAccelerator(probe: ProbeResult, override?: string): AcceleratorChoice {
  const pick = (accelerator: Accelerator, reason: string): AcceleratorChoice => ({
    accelerator,
    libvirtDriver: accelerator === 'kvm' ? 'kvm' : 'qemu',
    reason,
  });
  if (override !== undefined && override !== '') {
    if (override !== 'kvm' && override !== 'tcg') throw new Error(`HALAB_ACCEL = ${JSON.stringify(override)}: must be kvm or tcg (or unset to probe)`);
    return pick(override, `HALAB_ACCEL=${override} set by the user (probe not trusted)`);
  }
  if (probe.kvmDevice === 'absent') return pick('tcg', '/dev/kvm is absent: QEMU software emulation (TCG)');
  if (probe.kvmDevice === 'no-access') return pick('tcg', '/dev/kvm cannot be opened read-write: QEMU software emulation (TCG)');
  const boot = probe.kvmBoot;
  if (!boot) throw new Error('chooseAccelerator: /dev/kvm is present but no KVM boot probe was run');
  if (boot.booted) return pick('kvm', `a guest kernel booted under KVM in ${boot.seconds.toFixed(1)} s`);
  return pick('tcg', `/dev/kvm exists but a guest kernel did not boot under KVM (${boot.evidence}): ` +
    'KVM unusable here (nested), QEMU software emulation (TCG)');
}

/** The kernel's own banner on the serial console proves the guest ran code under KVM. */
const BOOTED = /Linux version \d/;

/**
 * Boots the box's kernel under `qemu -accel kvm` with no disk and watches the serial console.
 * On hosts where nested KVM hangs after the BIOS, the banner never comes.
 */
export async function probeAccelerator(kernel: string, timeoutSeconds = 15, on?: ProbeRunner): Promise<ProbeResult> {
  const device = on ? await remoteKvmDevice(on) : await localKvmDevice();
  if (device !== 'present') return { kvmDevice: device };
  const started = performance.now();
  // Same CPU mode the VMs get under KVM (libvirt host-passthrough).
  const qemuArgs = [
    '-accel', 'kvm', '-cpu', 'host', '-m', '256', '-nodefaults', '-display', 'none', '-no-reboot', '-nic', 'none',
    '-serial', 'stdio', '-kernel', kernel, '-append', 'console=ttyS0 panic=-1',
  ];
  const options = { reject: false, timeout: timeoutSeconds * 1000, stdin: 'ignore' } as const;
  // On another host, killing the SSH client would leave its qemu running: timeout(1) ends it there.
  const qemu = on ? on('timeout', ['-s', 'KILL', String(timeoutSeconds + 2), 'qemu-system-x86_64', ...qemuArgs], options) : execa('qemu-system-x86_64', qemuArgs, options);
  let output = '';
  const booted = await new Promise<boolean>((resolve) => {
    qemu.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (BOOTED.test(output)) resolve(true);
    });
    void qemu.then(() => resolve(BOOTED.test(output)));
  });
  qemu.kill('SIGKILL');
  const result = await qemu;
  const seconds = (performance.now() - started) / 1000;
  const lastLine = `${output}\n${result.stderr ?? ''}`.trim().split('\n').filter(Boolean).pop() ?? 'no console output';
  const evidence = booted
    ? 'kernel banner seen on the serial console'
    : `${result.timedOut ? `no kernel banner within ${timeoutSeconds} s` : `qemu exited after ${seconds.toFixed(1)} s`}; last output: ${lastLine.slice(0, 160)}`;
  return { kvmDevice: 'present', kvmBoot: { booted, seconds, evidence } };
}

async function localKvmDevice(): Promise<ProbeResult['kvmDevice']> {
  try {
    await access('/dev/kvm', constants.R_OK | constants.W_OK);
    return 'present';
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'absent' : 'no-access';
  }
}

/** /dev/kvm on the hypervisor's host, asked with test(1) there. */
async function remoteKvmDevice(on: ProbeRunner): Promise<ProbeResult['kvmDevice']> {
  if ((await on('test', ['-e', '/dev/kvm'], { reject: false })).exitCode !== 0) return 'absent';
  return (await on('test', ['-r', '/dev/kvm', '-a', '-w', '/dev/kvm'], { reject: false })).exitCode === 0 ? 'present' : 'no-access';
}
