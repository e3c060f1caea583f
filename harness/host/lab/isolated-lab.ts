import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { execa } from 'execa';
import { retry } from 'zx';
import { log } from '../../support/log.js';
import { labHypervisor, namespaceLab, type Lab } from './lab.js';
import { Hypervisor } from '../../hypervisor/hypervisor.js';

/**
 * The isolated lab: a network namespace of ours with libvirtd and virtlogd started inside it,
 * so the VMs' bridges, the 192.168.211.x lab network and libvirt's management network exist
 * only there. Vagrant and the specs run inside it too.
 */
export interface IsolatedLab extends Lab {
  readonly namespace: string;
  /** Stops the daemons, kills whatever still runs in the namespace and deletes it. */
  remove(): Promise<void>;
}

const RUN_DIR = '/run/ha-lab';
const pidFile = (daemon: string) => `${RUN_DIR}/${daemon}.pid`;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function daemonPid(daemon: string): number | undefined {
  if (!existsSync(pidFile(daemon))) return undefined;
  const pid = Number(readFileSync(pidFile(daemon), 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 && alive(pid) ? pid : undefined;
}

export async function namespaceExists(namespace: string): Promise<boolean> {
  const { stdout } = await execa('ip', ['netns', 'list']);
  return stdout.split('\n').some((line) => line.split(' ')[0] === namespace);
}

/** Our own libvirtd (started by an earlier run, e.g. with --keep) is the one serving. */
export function ownLibvirtdRunning(): boolean {
  return daemonPid('libvirtd') !== undefined;
}

/** True when some libvirtd answers on the system socket (unix sockets ignore namespaces). */
export async function libvirtServing(): Promise<boolean> {
  return new Hypervisor().answers();
}

/** Opens the isolated lab, creating the namespace and starting the daemons as needed. */
export async function openIsolatedLab(namespace: string): Promise<IsolatedLab> {
  const lab = namespaceLab(namespace);
  const isolated: IsolatedLab = { ...lab, namespace, remove: () => removeIsolatedLab(namespace) };
  if (!(await namespaceExists(namespace))) {
    log('lab', `creating network namespace ${namespace}`);
    await execa('ip', ['netns', 'add', namespace]);
    await execa('ip', ['-n', namespace, 'link', 'set', 'lo', 'up']);
  }
  mkdirSync(RUN_DIR, { recursive: true });
  await giveKvmToLibvirt();
  for (const daemon of ['virtlogd', 'libvirtd']) {
    if (daemonPid(daemon)) continue;
    log('lab', `starting ${daemon} inside ${namespace}`);
    await lab.exec(daemon, ['--daemon', '--pid-file', pidFile(daemon)]);
  }
  // The orchestrator runs outside vitest, so zx's retry (not vi.waitFor) polls here.
  await retry(60, '1s', async () => {
    if (!(await labHypervisor(lab).answers(5000))) throw new Error(`libvirtd does not answer inside ${namespace}`);
  });
  return isolated;
}

async function removeIsolatedLab(namespace: string): Promise<void> {
  for (const daemon of ['libvirtd', 'virtlogd']) {
    const pid = daemonPid(daemon);
    if (pid) {
      log('lab', `stopping ${daemon} (pid ${pid})`);
      process.kill(pid, 'SIGTERM');
      await retry(30, '1s', () => {
        if (alive(pid)) throw new Error(`${daemon} (pid ${pid}) still running`);
      }).catch(() => process.kill(pid, 'SIGKILL'));
    }
    rmSync(pidFile(daemon), { force: true });
  }
  if (!(await namespaceExists(namespace))) return;
  // Whatever is left in the namespace is ours: dnsmasq of a network, a qemu of a crashed run.
  const { stdout } = await execa('ip', ['netns', 'pids', namespace]);
  const pids = stdout.split('\n').filter(Boolean).map(Number);
  if (pids.length) {
    log('lab', `killing ${pids.length} leftover process(es) in ${namespace}: ${pids.join(' ')}`);
    for (const pid of pids) if (alive(pid)) process.kill(pid, 'SIGKILL');
  }
  await execa('ip', ['netns', 'del', namespace]);
  log('lab', `network namespace ${namespace} removed`);
}

/**
 * libvirt runs qemu as libvirt-qemu (group kvm). Where /dev/kvm is root-only (containers without
 * udev), libvirt finds KVM "not available now" after probing it and probes qemu again on every
 * API call (~7 s each: minutes per `vagrant up`). Debian's udev rule gives /dev/kvm root:kvm 0660;
 * the lab applies the same. The accelerator itself is still chosen by the boot probe.
 */
async function giveKvmToLibvirt(): Promise<void> {
  if (!existsSync('/dev/kvm')) return;
  const { stdout } = await execa('stat', ['-c', '%G %a', '/dev/kvm']);
  if (stdout.trim() === 'kvm 660') return;
  const { exitCode } = await execa('getent', ['group', 'kvm'], { reject: false });
  if (exitCode !== 0) return;
  log('lab', `/dev/kvm was ${stdout.trim()}: setting root:kvm 0660 as Debian's udev does, so libvirt caches its qemu probe`);
  await execa('chgrp', ['kvm', '/dev/kvm']);
  await execa('chmod', ['0660', '/dev/kvm']);
}
