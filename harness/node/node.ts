import { NodeSSH } from 'node-ssh';
import { quote } from 'zx';
import type { SshEndpoint } from '../vagrant/ssh-config.js';

export interface CommandResult {
  command: string;
  stdout: string;
  stderr: string;
  code: number;
}

export class CommandError extends Error {
  override name = 'CommandError';
  constructor(readonly node: string, readonly result: CommandResult, expectation: string) {
    const output = [result.stdout.trim() && `stdout:\n${tail(result.stdout)}`, result.stderr.trim() && `stderr:\n${tail(result.stderr)}`]
      .filter(Boolean).join('\n');
    super(`${node}: \`${result.command}\` ${expectation} (exit ${result.code})${output ? `\n${output}` : ''}`);
  }
}

function tail(text: string, lines = 30): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

export interface RunOptions {
  /** Text fed to the command's standard input. */
  stdin?: string;
  /** Gives up waiting (the remote command may go on); default 300 s, so a dead node never hangs a spec. */
  timeoutSeconds?: number;
  /** Run as the SSH user instead of root. */
  unprivileged?: boolean;
}

/**
 * One VM, reached over a single persistent SSH connection. The vocabulary is the NixOS test
 * driver's: `succeed` (must exit 0, returns stdout), `fail` (must not), and `run` (either).
 * Commands run as root through `sudo`, in bash, since the procedure is administration.
 */
export class LabNode {
  private constructor(
    readonly name: string,
    /** Address on the lab network (the guide's 192.168.211.x). */
    readonly address: string,
    readonly endpoint: SshEndpoint,
    private readonly ssh: NodeSSH,
  ) {}

  static async connect(name: string, address: string, endpoint: SshEndpoint): Promise<LabNode> {
    const node = new LabNode(name, address, endpoint, new NodeSSH());
    await node.reconnect();
    return node;
  }

  /**
   * Opens the connection again, e.g. after the VM was powered off and booted. A booting guest
   * under TCG can accept TCP long before sshd answers: a short handshake timeout lets the
   * caller's wait retry instead of hanging on one attempt.
   */
  async reconnect(readyTimeoutSeconds = 60): Promise<void> {
    this.ssh.dispose();
    await this.ssh.connect({
      host: this.endpoint.hostName,
      port: this.endpoint.port,
      username: this.endpoint.user,
      privateKeyPath: this.endpoint.identityFiles[0],
      readyTimeout: readyTimeoutSeconds * 1000,
      keepaliveInterval: 5_000,
      keepaliveCountMax: 3,
    });
    // A node that loses power resets its socket later, outside any command: without a
    // listener that 'error' event would be unhandled and fail the whole run.
    this.ssh.connection?.on('error', (error: Error) => {
      this.lastConnectionError = error.message;
    });
  }

  /** The last error of the connection outside a command (e.g. ECONNRESET when the node lost power). */
  lastConnectionError?: string;

  async run(command: string, options: RunOptions = {}): Promise<CommandResult> {
    // pipefail: `cmd | tee file` must fail when cmd does.
    const wrapped = options.unprivileged ? `bash -o pipefail -c ${quote(command)}` : `sudo -n bash -o pipefail -c ${quote(command)}`;
    const timeoutMs = (options.timeoutSeconds ?? 300) * 1000;
    let timer: NodeJS.Timeout | undefined;
    const result = await Promise.race([
      this.ssh.execCommand(wrapped, { stdin: options.stdin }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${this.name}: no answer to \`${command}\` within ${timeoutMs / 1000} s`)), timeoutMs);
      }),
    ]).finally(() => clearTimeout(timer));
    return { command, stdout: result.stdout, stderr: result.stderr, code: result.code ?? -1 };
  }

  /** Runs the command and returns its stdout; a non-zero exit throws with node, command and output. */
  async succeed(command: string, options?: RunOptions): Promise<string> {
    const result = await this.run(command, options);
    if (result.code !== 0) throw new CommandError(this.name, result, 'failed');
    return result.stdout;
  }

  /** Runs a command that must fail; returns its result for further checks. */
  async fail(command: string, options?: RunOptions): Promise<CommandResult> {
    const result = await this.run(command, options);
    if (result.code === 0) throw new CommandError(this.name, result, 'succeeded but was expected to fail');
    return result;
  }

  get connected(): boolean {
    return this.ssh.isConnected();
  }

  dispose(): void {
    this.ssh.dispose();
  }
}
