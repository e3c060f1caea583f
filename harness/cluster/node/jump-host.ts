import { Duplex } from 'node:stream';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { NodeSSH } from 'node-ssh';
import type { HypervisorHost } from '../../config/libvirt-uri.js';

/** The keys ~/.ssh/known_hosts holds for a host (hashed entries included, as `ssh-keygen -F` finds them). */
export async function knownHostKeys(host: string, file = join(homedir(), '.ssh', 'known_hosts')): Promise<Buffer[]> {
  const { stdout, exitCode } = await execa('ssh-keygen', ['-F', host, '-f', file], { reject: false });
  if (exitCode !== 0) return [];
  return parseKnownHostKeys(String(stdout));
}

/** The key blobs of known_hosts lines (`[marker] hosts type base64 [comment]`); comments and revoked keys left out. */
export function parseKnownHostKeys(text: string): Buffer[] {
  return text.split('\n').flatMap((line) => {
    const fields = line.trim().split(/\s+/);
    if (!fields[0] || fields[0].startsWith('#') || fields[0] === '@revoked') return [];
    const [, , base64] = fields[0] === '@cert-authority' ? fields.slice(1) : fields;
    return base64 ? [Buffer.from(base64, 'base64')] : [];
  });
}

/**
 * The way to the guests when their libvirt runs on another host: one SSH connection to that host,
 * through which every connection to a guest (its sshd, MariaDB on the VIP) is forwarded, as
 * `ssh -J` would. The guests' networks exist only there; nothing of them is routed here.
 */
export class JumpHost {
  private static readonly open = new Map<string, JumpHost>();
  private connection?: Promise<NodeSSH>;

  private constructor(readonly host: HypervisorHost) {}

  /** The one jump to this host in this process (opened on first use). */
  static to(host: HypervisorHost): JumpHost {
    const key = `${host.user}@${host.host}:${host.port}`;
    let jump = JumpHost.open.get(key);
    if (!jump) JumpHost.open.set(key, (jump = new JumpHost(host)));
    return jump;
  }

  /** Closes every jump this process opened. */
  static disposeAll(): void {
    for (const jump of JumpHost.open.values()) jump.dispose();
    JumpHost.open.clear();
  }

  private ssh(): Promise<NodeSSH> {
    this.connection ??= this.connect().catch((error: Error) => {
      this.connection = undefined;
      throw error;
    });
    return this.connection;
  }

  private async connect(): Promise<NodeSSH> {
    const { host, port, user, keyFile, verifyHostKey } = this.host;
    const known = verifyHostKey ? await knownHostKeys(host) : [];
    if (verifyHostKey && !known.length) throw new Error(`the hypervisor host ${host} is not in ~/.ssh/known_hosts: add its key (ssh-keyscan ${host} >> ~/.ssh/known_hosts, after checking its fingerprint), or put no_verify=1 in the libvirt URI`);
    const ssh = new NodeSSH();
    let offered: Buffer | undefined;
    await ssh.connect({
      host, port, username: user, privateKeyPath: keyFile, readyTimeout: 30_000, keepaliveInterval: 5_000, keepaliveCountMax: 3,
      hostVerifier: (key: Buffer) => {
        offered = key;
        return !verifyHostKey || known.some((k) => k.equals(key));
      },
    }).catch((error: Error) => {
      const why = verifyHostKey && offered && !known.some((k) => k.equals(offered!)) ? `its host key is not the one ~/.ssh/known_hosts holds for ${host}` : error.message;
      throw new Error(`cannot reach the hypervisor host ${user}@${host}:${port} with ${keyFile}: ${why}`);
    });
    ssh.connection?.on('error', () => {});
    ssh.connection?.on('close', () => {
      this.connection = undefined;
    });
    return ssh;
  }

  /** A connection to `toHost:toPort` as the hypervisor host opens it. */
  async tunnel(toHost: string, toPort: number): Promise<Duplex> {
    const ssh = await this.ssh();
    return new Promise((resolve, reject) => {
      ssh.connection!.forwardOut('127.0.0.1', 0, toHost, toPort, (error: Error | undefined, channel: Duplex) => (error ? reject(new Error(`the hypervisor host ${this.host.host} cannot open ${toHost}:${toPort}: ${error.message}`)) : resolve(channel)));
    });
  }

  /** The same at once, as a stream that buffers until the tunnel is open: for a client that wants its socket synchronously (mysql2's `stream`). */
  stream(toHost: string, toPort: number): Duplex {
    return new TunnelStream(this.tunnel(toHost, toPort));
  }

  dispose(): void {
    const connection = this.connection;
    this.connection = undefined;
    void connection?.then((ssh) => ssh.dispose(), () => {});
  }
}

/** A duplex in front of a tunnel still opening: writes wait for it, its data and end come through. */
export class TunnelStream extends Duplex {
  private channel?: Duplex;
  private readonly pending: [Buffer, BufferEncoding, (error?: Error | null) => void][] = [];

  constructor(opening: Promise<Duplex>) {
    super();
    opening.then((channel) => {
      if (this.destroyed) return channel.destroy();
      this.channel = channel;
      channel.on('data', (data: Buffer) => {
        if (!this.push(data)) channel.pause();
      });
      channel.on('end', () => this.push(null));
      channel.on('error', (error: Error) => this.destroy(error));
      channel.on('close', () => this.destroy());
      for (const [chunk, encoding, done] of this.pending.splice(0)) channel.write(chunk, encoding, done);
    }, (error: Error) => this.destroy(error));
  }

  override _read(): void {
    this.channel?.resume();
  }

  override _write(chunk: Buffer, encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    if (this.channel) this.channel.write(chunk, encoding, done);
    else this.pending.push([chunk, encoding, done]);
  }

  override _final(done: (error?: Error | null) => void): void {
    if (this.channel) this.channel.end(done);
    else done();
  }

  override _destroy(error: Error | null, done: (error?: Error | null) => void): void {
    this.channel?.destroy();
    done(error);
  }
}
