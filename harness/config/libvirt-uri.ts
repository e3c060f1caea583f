import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

/** libvirt's system instance on this machine: where the lab's VMs live unless told otherwise. */
export const LOCAL_LIBVIRT_URI = 'qemu:///system';

/**
 * The machine a remote libvirt runs on, as SSH reaches it: libvirt's own connection, vagrant's
 * way to the guests and the harness's (a jump through it) all log in there with the same key.
 */
export interface HypervisorHost {
  user: string;
  host: string;
  port: number;
  /** The private key (the URI's `keyfile`). */
  keyFile: string;
  /** The host's key is checked against ~/.ssh/known_hosts, unless the URI says `no_verify=1`. */
  verifyHostKey: boolean;
}

/** Where the VMs run: this machine's libvirt, or another's over SSH (`remote`). */
export interface LibvirtTarget {
  uri: string;
  remote?: HypervisorHost;
}

const HOW = 'e.g. qemu+ssh://root@kvm-host.example/system?keyfile=/root/.ssh/id_ed25519 (or qemu:///system, this machine\'s)';

/**
 * A libvirt URI the lab can run on: this machine's system instance, or a system instance over SSH
 * with an explicit key (the harness reaches the guests through that host with it). Anything else
 * is refused, naming the source and what to give instead.
 */
export function parseLibvirtUri(text: string | undefined, source = 'HALAB_LIBVIRT_URI'): LibvirtTarget {
  if (text === undefined || text === '' || text === LOCAL_LIBVIRT_URI) return { uri: LOCAL_LIBVIRT_URI };
  const refuse = (why: string): never => {
    throw new Error(`${source} ${JSON.stringify(text)}: ${why}; ${HOW}`);
  };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return refuse('not a URI');
  }
  if (url.protocol !== 'qemu+ssh:') return refuse(`the transport ${JSON.stringify(url.protocol.replace(/:$/, ''))} is not one the lab runs on (qemu:///system here, or qemu+ssh:// to another host)`);
  if (url.pathname !== '/system') return refuse(`the lab needs libvirt's system instance (/system), not ${JSON.stringify(url.pathname)}: its networks and the VMs' bridges need root`);
  if (!url.hostname) return refuse('no host');
  if (url.port) return refuse('a port in the URI: vagrant-libvirt 0.11 cannot pass it to its SSH proxy; give the port in ~/.ssh/config for that host instead');
  const keyFile = url.searchParams.get('keyfile');
  if (!keyFile) return refuse('no keyfile: the harness reaches the guests through that host and needs the key it logs in with (?keyfile=/path/to/key)');
  const unknown = [...url.searchParams.keys()].filter((key) => !['keyfile', 'no_verify'].includes(key));
  if (unknown.length) return refuse(`${unknown.join(', ')}: the lab understands keyfile and no_verify only`);
  return {
    uri: text,
    remote: {
      user: decodeURIComponent(url.username) || 'root',
      host: url.hostname,
      port: 22,
      keyFile: isAbsolute(keyFile) ? keyFile : join(homedir(), '.ssh', keyFile),
      verifyHostKey: url.searchParams.get('no_verify') !== '1',
    },
  };
}

/** The OpenSSH client's words to log in on the hypervisor host (vagrant's proxy to the guests, the lab's commands there). */
export function sshArguments(host: HypervisorHost): string[] {
  return ['-i', host.keyFile, '-p', String(host.port), '-l', host.user, '-o', 'BatchMode=yes', '-o', 'IdentitiesOnly=yes', ...(host.verifyHostKey ? [] : ['-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null'])];
}
