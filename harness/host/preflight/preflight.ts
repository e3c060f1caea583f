import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execa } from 'execa';
import { log } from '../../support/log.js';

/**
 * A host tool the lab needs, the Debian package that provides it, and the stage that needs it
 * first: `box` tools before the box build; `lab` tools only once the VMs start, so on a fresh
 * machine they install while the box builds; `rehearsal`: only `npm run rehearse-remote`'s.
 */
export interface HostTool {
  command: string;
  debianPackage: string;
  why: string;
  stage: Stage;
}

export type Stage = 'box' | 'lab' | 'rehearsal';

export const HOST_TOOLS: HostTool[] = [
  { command: 'vagrant', debianPackage: 'vagrant', why: 'drives the VMs; its insecure key goes into the box', stage: 'box' },
  { command: 'mmdebstrap', debianPackage: 'mmdebstrap', why: 'builds the box from Debian packages', stage: 'box' },
  { command: 'qemu-img', debianPackage: 'qemu-utils', why: 'makes the box disk image', stage: 'box' },
  { command: 'mkfs.ext4', debianPackage: 'e2fsprogs', why: 'makes the box root file system', stage: 'box' },
  { command: 'qemu-system-x86_64', debianPackage: 'qemu-system-x86', why: 'runs the VMs', stage: 'lab' },
  { command: 'libvirtd', debianPackage: 'libvirt-daemon-system', why: "vagrant-libvirt's hypervisor API", stage: 'lab' },
  { command: 'virsh', debianPackage: 'libvirt-clients', why: 'finds and removes lab leftovers', stage: 'lab' },
  { command: 'dnsmasq', debianPackage: 'dnsmasq-base', why: "DHCP on libvirt's management network", stage: 'lab' },
  { command: 'iptables', debianPackage: 'iptables', why: "libvirt's network firewall rules", stage: 'lab' },
  { command: 'ip', debianPackage: 'iproute2', why: 'network namespace of the isolated lab', stage: 'lab' },
  { command: 'python3', debianPackage: 'python3', why: "the host witness's ARP prober (harness/checking/clients/arp-probe.py)", stage: 'lab' },
  { command: 'nbdkit', debianPackage: 'nbdkit', why: 'the data disks with a volatile write cache (--disks volatile, D2)', stage: 'lab' },
  { command: 'sshd', debianPackage: 'openssh-server', why: 'the stand-in hypervisor host of npm run rehearse-remote (started by it, inside the lab only)', stage: 'rehearsal' },
];

/** Debian's way to keep a package's daemon from starting at install (invoke-rc.d asks it): the rehearsal's sshd runs only where it starts it. */
const POLICY_RC_D = '/usr/sbin/policy-rc.d';

/** vagrant-libvirt is a Vagrant plugin, packaged by Debian; it is not a command of its own. */
const VAGRANT_LIBVIRT = { debianPackage: 'vagrant-libvirt', why: "Vagrant's libvirt provider", stage: 'box' as Stage };

async function hasCommand(command: string): Promise<boolean> {
  const { exitCode } = await execa('sh', ['-c', `command -v "$1" >/dev/null || test -x "/usr/sbin/$1"`, 'sh', command], { reject: false });
  return exitCode === 0;
}

async function hasVagrantLibvirt(): Promise<boolean> {
  const { stdout, exitCode } = await execa('vagrant', ['plugin', 'list'], { reject: false, env: { VAGRANT_CHECKPOINT_DISABLE: '1' } });
  return exitCode === 0 && /vagrant-libvirt/.test(stdout);
}

/** The packages the host lacks for `stages`, each with what it is for. */
export async function missingHostPackages(stages: readonly Stage[] = ['box', 'lab']): Promise<{ debianPackage: string; why: string }[]> {
  const present = new Set<string>();
  for (const tool of HOST_TOOLS) if (stages.includes(tool.stage) && (await hasCommand(tool.command))) present.add(tool.command);
  const asked = stages.includes('box') && present.has('vagrant');
  return missingFor(stages, present, asked && (await hasVagrantLibvirt()));
}

/**
 * What `stages` lack, given the commands present and whether vagrant lists its libvirt plugin.
 * Without vagrant the plugin cannot be asked for, and is missing too; `vagrant box add` of a
 * libvirt box wants the provider, so the plugin is a box-stage package.
 */
export function missingFor(stages: readonly Stage[], present: ReadonlySet<string>, vagrantLibvirt: boolean): { debianPackage: string; why: string }[] {
  const missing: { debianPackage: string; why: string }[] = HOST_TOOLS.filter((t) => stages.includes(t.stage) && !present.has(t.command));
  if (stages.includes('box') && !vagrantLibvirt) missing.push(VAGRANT_LIBVIRT);
  return missing;
}

function isDebian(): boolean {
  return existsSync('/etc/debian_version') && /ID=debian/.test(readFileSync('/etc/os-release', 'utf8'));
}

let aptUpdated = false;

/** The Node.js the harness needs (package.json's `engines`): older ones lack what it uses (vitest 4, execa 9). */
export const NODE_REQUIRED = { major: 20, minor: 19 } as const;

/** Why this Node.js cannot run the harness, or undefined when it can. */
export function nodeTooOld(version = process.versions.node): string | undefined {
  const [major, minor] = version.split('.').map(Number);
  const { major: needMajor, minor: needMinor } = NODE_REQUIRED;
  if (major > needMajor || (major === needMajor && minor >= needMinor)) return undefined;
  return `Node.js ${version} is too old: ha-lab needs ${needMajor}.${needMinor} or later (package.json "engines"); install a newer Node.js (e.g. from nodejs.org or NodeSource) and run npm ci again`;
}

/**
 * Names each missing host tool of `stages` with its Debian package; as root on Debian it installs
 * them (so a fresh machine needs nothing by hand), elsewhere it stops with the apt-get line to run.
 * `npm run e2e` asks for the box's tools first, then installs the lab's while the box builds.
 */
export async function preflight(stages: readonly Stage[] = ['box', 'lab']): Promise<void> {
  const old = nodeTooOld();
  if (old) throw new Error(old);
  const missing = await missingHostPackages(stages);
  if (!missing.length) return;
  for (const m of missing) log('preflight', `missing: ${m.debianPackage} (${m.why})`);
  const packages = [...new Set(missing.map((m) => m.debianPackage))];
  if (process.getuid?.() !== 0 || !isDebian()) {
    // Everything still missing in one line, not only this stage's: one command for the operator.
    const all = [...new Set((await missingHostPackages()).map((m) => m.debianPackage))];
    throw new Error(`host tools missing; install them with: sudo apt-get install ${all.join(' ')}`);
  }
  log('preflight', `installing ${packages.join(' ')} with apt-get`);
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  if (!aptUpdated) await execa('apt-get', ['update', '-q'], { env, stdio: 'inherit' });
  aptUpdated = true;
  // Quiet: on a fresh machine this runs while the box build prints its progress.
  const started = performance.now();
  const holdServices = stages.includes('rehearsal') && !existsSync(POLICY_RC_D);
  if (holdServices) writeFileSync(POLICY_RC_D, '#!/bin/sh\n# ha-lab preflight: no daemon starts while it installs\nexit 101\n', { mode: 0o755 });
  const install = await execa('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...packages], { env, all: true, reject: false }).finally(() => {
    if (holdServices) rmSync(POLICY_RC_D, { force: true });
  });
  if (install.exitCode !== 0) throw new Error(`apt-get install ${packages.join(' ')} failed (exit ${install.exitCode}):\n${String(install.all).split('\n').slice(-15).join('\n')}`);
  const still = await missingHostPackages(stages);
  if (still.length) throw new Error(`still missing after apt-get install: ${still.map((m) => m.debianPackage).join(', ')}`);
  log('preflight', `installed ${packages.length} package(s) in ${((performance.now() - started) / 1000).toFixed(0)} s`);
}
