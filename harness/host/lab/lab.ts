import { execa, type Options, type ResultPromise } from 'execa';
import { Hypervisor } from '../../hypervisor/hypervisor.js';
import { labCommandSignal } from './interrupt.js';

/**
 * Where lab commands run. The isolated lab runs libvirtd, Vagrant and the specs inside a
 * network namespace of ours, so nothing of the VMs' networks exists outside it; the host lab
 * (a workstation with its own libvirtd) runs them directly.
 */
export interface Lab {
  readonly kind: 'isolated' | 'host';
  /** Name of the network namespace, for the isolated lab. */
  readonly namespace?: string;
  /** Runs a program inside the lab (prefixing `ip netns exec` for the isolated lab). */
  exec(file: string, args: readonly string[], options?: Options): ResultPromise;
  /** The shell words to reach the lab by hand, for messages such as `--keep`'s. */
  shellPrefix(): string;
}

export function hostLab(): Lab {
  return {
    kind: 'host',
    exec: (file, args, options) => execa(file, args, { cancelSignal: labCommandSignal(), ...options }),
    shellPrefix: () => '',
  };
}

export function namespaceLab(namespace: string): Lab {
  return {
    kind: 'isolated',
    namespace,
    exec: (file, args, options) =>
      execa('ip', ['netns', 'exec', namespace, file, ...args], { cancelSignal: labCommandSignal(), ...options }),
    shellPrefix: () => `ip netns exec ${namespace} `,
  };
}

/** The hypervisor the lab's VMs run on, asked from where the lab's commands run. */
export function labHypervisor(lab: Lab): Hypervisor {
  return new Hypervisor((file, args, options) => lab.exec(file, args, options));
}
