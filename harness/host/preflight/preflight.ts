import { existsSync, readFileSync } from 'node:fs';
import { execa } from 'execa';
import { log } from '../../support/log.js';

/** A host tool the lab needs, and the Debian package that provides it. */
export interface HostTool {
  command: string;
  debianPackage: string;
  why: string;
}

export const HOST_TOOLS: HostTool[] = [
  { command: 'vagrant', debianPackage: 'vagrant', why: 'drives the VMs' },
  { command: 'qemu-system-x86_64', debianPackage: 'qemu-system-x86', why: 'runs the VMs' },
  { command: 'qemu-img', debianPackage: 'qemu-utils', why: 'makes the box disk image' },
  { command: 'libvirtd', debianPackage: 'libvirt-daemon-system', why: "vagrant-libvirt's hypervisor API" },
  { command: 'virsh', debianPackage: 'libvirt-clients', why: 'finds and removes lab leftovers' },
  { command: 'mmdebstrap', debianPackage: 'mmdebstrap', why: 'builds the box from Debian packages' },
  { command: 'mkfs.ext4', debianPackage: 'e2fsprogs', why: 'makes the box root file system' },
  { command: 'dnsmasq', debianPackage: 'dnsmasq-base', why: "DHCP on libvirt's management network" },
  { command: 'iptables', debianPackage: 'iptables', why: "libvirt's network firewall rules" },
  { command: 'ip', debianPackage: 'iproute2', why: 'network namespace of the isolated lab' },
];

/** vagrant-libvirt is a Vagrant plugin, packaged by Debian; it is not a command of its own. */
const VAGRANT_LIBVIRT = { debianPackage: 'vagrant-libvirt', why: "Vagrant's libvirt provider" };

async function hasCommand(command: string): Promise<boolean> {
  const { exitCode } = await execa('sh', ['-c', `command -v "$1" >/dev/null || test -x "/usr/sbin/$1"`, 'sh', command], { reject: false });
  return exitCode === 0;
}

async function hasVagrantLibvirt(): Promise<boolean> {
  const { stdout, exitCode } = await execa('vagrant', ['plugin', 'list'], { reject: false, env: { VAGRANT_CHECKPOINT_DISABLE: '1' } });
  return exitCode === 0 && /vagrant-libvirt/.test(stdout);
}

/** The packages the host lacks, each with what it is for. */
export async function missingHostPackages(): Promise<{ debianPackage: string; why: string }[]> {
  const missing: { debianPackage: string; why: string }[] = [];
  for (const tool of HOST_TOOLS) if (!(await hasCommand(tool.command))) missing.push(tool);
  // Without vagrant the plugin cannot be asked for, and is missing too.
  if (missing.some((m) => m.debianPackage === 'vagrant') || !(await hasVagrantLibvirt())) missing.push(VAGRANT_LIBVIRT);
  return missing;
}

function isDebian(): boolean {
  return existsSync('/etc/debian_version') && /ID=debian/.test(readFileSync('/etc/os-release', 'utf8'));
}

/**
 * Names each missing host tool with its Debian package; as root on Debian it installs them
 * (so a fresh machine needs nothing by hand), elsewhere it stops with the apt-get line to run.
 */
export async function preflight(): Promise<void> {
  const missing = await missingHostPackages();
  if (!missing.length) return;
  for (const m of missing) log('preflight', `missing: ${m.debianPackage} (${m.why})`);
  const packages = [...new Set(missing.map((m) => m.debianPackage))];
  if (process.getuid?.() !== 0 || !isDebian()) {
    throw new Error(`host tools missing; install them with: sudo apt-get install ${packages.join(' ')}`);
  }
  log('preflight', `installing ${packages.join(' ')} with apt-get`);
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  await execa('apt-get', ['update', '-q'], { env, stdio: 'inherit' });
  await execa('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...packages], { env, stdio: 'inherit' });
  const still = await missingHostPackages();
  if (still.length) throw new Error(`still missing after apt-get install: ${still.map((m) => m.debianPackage).join(', ')}`);
}
