import { execa, type Options, type ResultPromise } from 'execa';
import { Hypervisor } from '../../hypervisor/hypervisor.js';
import { LOCAL_LIBVIRT_URI, sshArguments, type HypervisorHost } from '../../config/libvirt-uri.js';
import { labCommandSignal } from './interrupt.js';

/**
 * Where lab commands run. The isolated lab runs libvirtd, Vagrant and the specs inside a
 * network namespace of ours, so nothing of the VMs' networks exists outside it; the host lab
 * (a workstation with its own libvirtd) runs them directly.
 */
export interface Lab {
  readonly kind: 'isolated' | 'host' | 'remote';
  /** Name of the network namespace, for the isolated lab. */
  readonly namespace?: string;
  /** Runs a program inside the lab (prefixing `ip netns exec` for the isolated lab). */
  exec(file: string, args: readonly string[], options?: Options): ResultPromise;
  /** The shell words to reach the lab by hand, for messages such as `--keep`'s. */
  shellPrefix(): string;
  /** The libvirt the VMs run on. */
  readonly libvirtUri: string;
  /** Runs a program on the machine libvirt runs on (its storage pool's directory, its bridges): here, or on the remote host over SSH. */
  onHypervisorHost(file: string, args: readonly string[], options?: Options): ResultPromise;
}

export function hostLab(): Lab {
  const exec: Lab['exec'] = (file, args, options) => execa(file, args, { cancelSignal: labCommandSignal(), ...options });
  return { kind: 'host', exec, shellPrefix: () => '', libvirtUri: LOCAL_LIBVIRT_URI, onHypervisorHost: exec };
}

export function namespaceLab(namespace: string): Lab {
  const exec: Lab['exec'] = (file, args, options) =>
    execa('ip', ['netns', 'exec', namespace, file, ...args], { cancelSignal: labCommandSignal(), ...options });
  return { kind: 'isolated', namespace, exec, shellPrefix: () => `ip netns exec ${namespace} `, libvirtUri: LOCAL_LIBVIRT_URI, onHypervisorHost: exec };
}

/**
 * Another host's libvirt (`--libvirt-uri qemu+ssh://…`): vagrant, virsh and the specs run here and
 * reach libvirt over SSH; the guests are reached through that host (harness/cluster/node/jump-host.ts);
 * what must happen on the host itself (its storage pool's directory, its bridges) runs there over SSH.
 */
export function remoteLab(libvirtUri: string, host: HypervisorHost): Lab {
  return {
    kind: 'remote',
    exec: (file, args, options) => execa(file, args, { cancelSignal: labCommandSignal(), ...options }),
    shellPrefix: () => '',
    libvirtUri,
    onHypervisorHost: (file, args, options) =>
      execa('ssh', [...sshArguments(host), host.host, '--', [file, ...args].map(posixWord).join(' ')], { cancelSignal: labCommandSignal(), ...options }),
  };
}

/** One word for the remote login shell, whichever it is (POSIX quoting: zx's $'…' is bash's own). */
export function posixWord(word: string): string {
  return /^[\w./=@:%+,-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}

/** The hypervisor the lab's VMs run on, asked from where the lab's commands run. */
export function labHypervisor(lab: Lab): Hypervisor {
  return new Hypervisor((file, args, options) => lab.exec(file, args, options), lab.libvirtUri);
}
