import { NodeSSH } from 'node-ssh';
import { quote } from 'zx';
import { lineReader } from '../../support/lines.js';
import { sleep, withTimeout } from '../../support/time.js';
import type { SshEndpoint } from './ssh-endpoint.js';
import type { CommandPolicy } from './command-policy.js';
import type { Topology } from '../../config/topology.js';
import { Hypervisor, type Domain } from '../../hypervisor/hypervisor.js';
import type { DiscardedWrites } from '../../hypervisor/volatile-disk/volatile-disk.js';
import { parseLibvirtUri } from '../../config/libvirt-uri.js';
import { JumpHost } from './jump-host.js';

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

/**
 * The error says the node could not be reached (SSH refused, reset, gone, no answer), not that a
 * command it ran failed: the node may have rebooted.
 */
export function isUnreachable(error: unknown): boolean {
  if (error instanceof CommandError) return false;
  return /ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ETIMEDOUT|EPIPE|not connected|handshake|no response|connection lost|channel|timed out/i.test((error as Error)?.message ?? String(error));
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
  /** heartbeat on this node, in the guide's words: stop (orderly), start, kill (SIGKILL, nothing released). */
  readonly heartbeat: Heartbeat;
  /** The VM as the hypervisor sees it: power, freeze, the NIC's cable. */
  readonly vm: Domain;

  private constructor(
    readonly name: string,
    /** Address on the lab network (the guide's 192.168.211.x). */
    readonly address: string,
    readonly endpoint: SshEndpoint,
    /** libvirt's name for this VM, for power faults. */
    readonly domain: string,
    /** The lab NIC (the topology's; eth0 is Vagrant's management NIC). */
    readonly labInterface: string,
    private readonly ssh: NodeSSH,
    /** What this connection may send (an audit's allowlist); the lab's own connections send anything. */
    readonly policy?: CommandPolicy,
    /** The libvirt the VM runs on, when not this machine's: its guests are reached through that host. */
    readonly libvirtUri?: string,
  ) {
    this.heartbeat = new Heartbeat(this);
    this.vm = new Hypervisor(undefined, libvirtUri).domain(domain);
    const remote = parseLibvirtUri(libvirtUri).remote;
    this.jump = remote && JumpHost.to(remote);
  }

  /** The hypervisor host every connection to the guest goes through, when the VMs run on another host. */
  readonly jump?: JumpHost;

  static async connect(spec: NodeAccess, readyTimeoutSeconds = 60): Promise<LabNode> {
    const node = new LabNode(spec.name, spec.address, spec.endpoint, spec.domain, spec.labInterface, new NodeSSH(), spec.policy, spec.libvirtUri);
    await node.reconnect(readyTimeoutSeconds);
    return node;
  }

  /** What it takes to reach the node: the same fields a second connection to it needs. */
  get access(): NodeAccess {
    return { name: this.name, address: this.address, endpoint: this.endpoint, domain: this.domain, labInterface: this.labInterface, ...(this.policy && { policy: this.policy }), ...(this.libvirtUri && { libvirtUri: this.libvirtUri }) };
  }

  /**
   * Opens the connection again, e.g. after the VM was powered off and booted. A booting guest
   * under TCG can accept TCP long before sshd answers: a short handshake timeout lets the
   * caller's wait retry instead of hanging on one attempt.
   */
  async reconnect(readyTimeoutSeconds = 60): Promise<void> {
    this.ssh.dispose();
    // Through the hypervisor host when the VMs run on another one: their networks exist only there.
    const sock = this.jump && (await this.jump.tunnel(this.endpoint.hostName, this.endpoint.port));
    await this.ssh.connect({
      ...(sock && { sock }),
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
    this.ssh.connection?.on('error', () => {});
  }

  async run(command: string, options: RunOptions = {}): Promise<CommandResult> {
    const result = await this.exec(command, options);
    return { command, stdout: result.stdout, stderr: result.stderr, code: result.code ?? -1 };
  }

  /**
   * Runs a long command and hands each line of its stdout to `onLine` as it comes; resolves
   * when the command ends or the connection drops (no timeout: the command bounds itself).
   */
  async stream(command: string, onLine: (line: string) => void): Promise<void> {
    this.policy?.check(command);
    const lines = lineReader(onLine);
    await this.ssh.execCommand(`sudo -n bash -c ${quote(command)}`, { onStdout: (chunk) => lines.push(chunk.toString('utf8')) });
    lines.end();
  }

  private async exec(command: string, options: RunOptions) {
    // Refused before anything is sent: a command off an audit's allowlist never reaches the node.
    this.policy?.check(command);
    // A fault can cost the connection (a frozen VM misses its keepalives): one new attempt, then the command.
    if (!this.ssh.isConnected()) await this.reconnect(20);
    // pipefail: `cmd | tee file` must fail when cmd does.
    const wrapped = options.unprivileged ? `bash -o pipefail -c ${quote(command)}` : `sudo -n bash -o pipefail -c ${quote(command)}`;
    let channel: { close(): void } | undefined;
    return withTimeout(
      this.ssh.execCommand(wrapped, { stdin: options.stdin, onChannel: (c) => (channel = c) }),
      (options.timeoutSeconds ?? 300) * 1000,
      `${this.name}: \`${command.split('\n')[0].slice(0, 120)}\``,
      () => channel?.close(),
    );
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

  /** This node's clock − the harness's, from the round trip with the smallest delay (Cristian's method). */
  async clockOffset(rounds = 5): Promise<{ offsetMs: number; rttMs: number }> {
    let best = { offsetMs: 0, rttMs: Infinity };
    for (let i = 0; i < rounds; i++) {
      const sent = Date.now();
      const out = await this.succeed('echo ${EPOCHREALTIME/./}', { unprivileged: true, timeoutSeconds: 10 });
      const received = Date.now();
      const nodeMs = Number(out.trim()) / 1000;
      if (received - sent < best.rttMs) best = { offsetMs: Math.round(nodeMs - (sent + received) / 2), rttMs: received - sent };
    }
    return best;
  }

  /**
   * Drops, on the lab NIC (or `device`: a hardened profile's dedicated link), what this node
   * sends to `peer` (all of it, or one protocol and port either way): cutting it on both nodes
   * cuts the link both ways while the ping node, the clients and the management network stay
   * reachable. heartbeat's `ucast` socket is bound to the device, so a blackhole route would not
   * cut it: tc on the device does (docs/fault-facts.md).
   */
  async block(peer: string, only?: { protocol: 'tcp' | 'udp'; port: number }, dev = this.labInterface): Promise<void> {
    const match = only ? `match ip protocol ${only.protocol === 'tcp' ? 6 : 17} 0xff` : '';
    const filter = (extra: string) => `tc filter add dev ${dev} parent 1: protocol ip prio 1 u32 match ip dst ${peer}/32 ${match} ${extra} action drop`;
    // `replace` of a prio qdisc would drop the filters already on it: add it only where it is not.
    await this.succeed([
      `{ tc qdisc show dev ${dev} | grep -q '^qdisc prio 1: root' || tc qdisc replace dev ${dev} root handle 1: prio; }`,
      ...(only ? [filter(`match ip dport ${only.port} 0xffff`), filter(`match ip sport ${only.port} 0xffff`)] : [filter('')]),
      `tc filter show dev ${dev}`,
    ].join(' && '));
  }

  /** Heals every `block`, on whichever NIC (the harness sets no other root qdisc). */
  async unblock(): Promise<void> {
    await this.succeed('for dev in $(ls /sys/class/net); do [ "$dev" = lo ] || tc qdisc del dev "$dev" root 2>/dev/null || true; done');
  }

  /** Freezes the whole VM (virsh suspend): its timers, heartbeat and DRBD stop with it. */
  async freeze(): Promise<void> {
    await this.vm.suspend();
  }

  /** libvirt's word for the VM's power: running, paused, shut off… */
  async powerState(): Promise<string> {
    return this.vm.state();
  }

  /**
   * Resumes a frozen VM. One that is no longer paused (a STONITH device power-cycled it while it
   * was frozen) is left as it is: returns the state it was found in instead of 'paused'.
   */
  async thaw(): Promise<string> {
    const found = await this.powerState();
    if (found !== 'paused') return found;
    await this.vm.resume();
    // The connection of before missed its keepalives while the VM was frozen. A node that does
    // not take a new one yet (it may be rebooting) is the next command's business, not the heal's.
    if (!this.ssh.isConnected()) await this.reconnect(30).catch(() => {});
    return found;
  }

  /** The lab NIC's MAC address, lower case, as the node itself reports it. */
  async labMac(): Promise<string> {
    return (await this.succeed(`cat /sys/class/net/${this.labInterface}/address`)).trim().toLowerCase();
  }

  /** Pulls the lab NIC's cable (virsh domif-setlink, found by its MAC): nothing in or out on the lab network. */
  async setLabLink(state: 'up' | 'down'): Promise<void> {
    await this.vm.setLink(await this.labMac(), state);
  }

  /**
   * Power cut: the VM stops at once, no shutdown, no flush (virsh destroy; runs inside the lab).
   * A volatile data disk loses its unflushed writes with it: what it discarded is returned.
   */
  async crash(): Promise<DiscardedWrites | undefined> {
    const discarded = await this.vm.powerOff();
    this.dispose();
    return discarded;
  }

  /** Power on after a crash and wait for SSH: a booting guest under TCG accepts TCP long before sshd answers. */
  async boot(timeoutSeconds = 480): Promise<void> {
    await this.vm.powerOn();
    await this.awaitSsh(timeoutSeconds, 'of power-on');
  }

  /**
   * The node answers a command, reconnecting every 5 s for up to `timeoutSeconds` (a node that
   * rebooted by itself, a DRBD handler's or heartbeat's doing, is back in 1-2 minutes under TCG).
   */
  async awaitSsh(timeoutSeconds = 300, what = 'of the first attempt'): Promise<void> {
    const deadline = Date.now() + timeoutSeconds * 1000;
    for (;;) {
      try {
        if (!this.ssh.isConnected() || (await this.exec('true', { timeoutSeconds: 15 })).code !== 0) await this.reconnect(20);
        return;
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`${this.name}: no SSH within ${timeoutSeconds} s ${what}: ${(error as Error).message}`);
        this.ssh.dispose();
        await sleep(5000);
      }
    }
  }

  /** When the node booted, by the harness's clock (from /proc/uptime; good to a second or two). */
  async bootedAt(): Promise<number> {
    const uptime = Number((await this.succeed('cut -d" " -f1 /proc/uptime')).trim());
    return Date.now() - uptime * 1000;
  }

  dispose(): void {
    this.ssh.dispose();
  }
}

/** Reaching one node: its heartbeat name, lab address, SSH endpoint and libvirt domain. */
export interface NodeAccess {
  name: string;
  address: string;
  endpoint: SshEndpoint;
  domain: string;
  labInterface: string;
  /** An audit's allowlist: every command is checked against it before it is sent. */
  policy?: CommandPolicy;
  /** The libvirt the VM runs on (the run's `libvirtUri`); absent: this machine's. */
  libvirtUri?: string;
}

/** heartbeat's master process as ps shows it (it renames itself); the brackets keep pgrep from matching its own shell. */
const MASTER_PATTERN = '^heartbeat[:] master control process';

/** The guide's cluster manager on one node. */
export class Heartbeat {
  constructor(private readonly node: LabNode) {}

  /**
   * `systemctl start heartbeat`, refused while a heartbeat master already runs: after heartbeat
   * restarts itself, systemd no longer tracks it and would start a second one beside it (seen
   * 2026-11-27: two masters on linux02, the peer dropping the older one's packets as replays,
   * both running the group's scripts at once).
   */
  async start(): Promise<void> {
    const masters = await this.masters();
    if (masters.length) throw new Error(`${this.node.name}: heartbeat already runs (master pid ${masters.join(', ')}): refusing to start a second one beside it`);
    await this.node.succeed('systemctl start heartbeat');
  }

  /**
   * The pids of heartbeat's master control processes, from the process table. Not systemd's
   * view: Debian's unit runs \`heartbeat -f\` as Type=simple with KillMode=process, and when
   * heartbeat restarts itself after a healed partition ("Performing heartbeat restart exec") the
   * new master is a child that outlives the unit's main process: \`systemctl is-active\` then
   * says inactive while heartbeat runs.
   */
  async masters(): Promise<number[]> {
    const { stdout } = await this.node.run(`pgrep -f '${MASTER_PATTERN}'`);
    return stdout.split(/\s+/).filter(Boolean).map(Number);
  }

  /** The guide's orderly way: heartbeat gives the group up before it exits. */
  async stop(): Promise<void> {
    await this.node.succeed('systemctl stop heartbeat');
  }

  /**
   * The orderly stop, given `seconds`: true when heartbeat exited. systemd's own limit for the
   * init script is 5 minutes, and heartbeat v1 defers its shutdown while a resource action is
   * in progress (seen after a healed partition): the caller decides what to do past `seconds`.
   */
  async stopWithin(seconds: number): Promise<{ stopped: boolean; outsideSystemd: number[] }> {
    const started = Date.now();
    await this.node.run(`timeout ${seconds} systemctl stop heartbeat`, { timeoutSeconds: seconds + 30 });
    // What systemd did not stop runs outside its view: SIGTERM is what \`heartbeat -k\` sends (an orderly stop).
    const outsideSystemd = await this.masters();
    if (outsideSystemd.length) {
      const left = Math.max(10, seconds - Math.round((Date.now() - started) / 1000));
      await this.node.run(`kill -TERM ${outsideSystemd.join(' ')}; timeout ${left} bash -c "while pgrep -f '${MASTER_PATTERN}' >/dev/null; do sleep 1; done"`, { timeoutSeconds: left + 30 });
    }
    return { stopped: !(await this.running()), outsideSystemd };
  }

  /**
   * What the resource scripts would have done on release, by hand, in haresources' reverse
   * order (mysqld, VIP, mount, DRBD role), for a heartbeat that was killed while holding them
   * (scripts it had started are killed first).
   * Each command may find its resource already gone. Returns the commands' output.
   */
  async releaseByHand(t: Pick<Topology, 'network' | 'mysql' | 'drbd'>): Promise<string> {
    const commands = [
      // A resource script heartbeat started (drbddisk's promote loop, an OCF agent) would go on
      // acquiring after its parent died. heartbeat runs them as /etc/ha.d//resource.d/… and
      // /usr/lib/ocf/resource.d//heartbeat/…; the brackets keep the pattern from matching this shell.
      'pkill -KILL -f "[/]usr/share/heartbeat/(ResourceManager|mach_down)|[/]etc/ha[.]d/+resource[.]d/|[/]usr/lib/ocf/+resource[.]d/"; sleep 1',
      'systemctl stop mariadb; pkill -KILL -x mariadbd',
      `ip addr del ${t.network.vip}/${t.network.cidr.split('/')[1]} dev ${t.network.interface}`,
      `fuser -km ${t.mysql.mountPoint}; umount ${t.mysql.mountPoint}`,
      `drbdadm secondary ${t.drbd.resource}`,
    ];
    const out: string[] = [];
    for (const command of commands) {
      const result = await this.node.run(command);
      out.push(`# ${command} (exit ${result.code})`, `${result.stdout}${result.stderr}`.trim());
    }
    return out.filter(Boolean).join('\n');
  }

  /** A heartbeat master runs (whatever systemd says: see masters()). */
  async running(): Promise<boolean> {
    return (await this.masters()).length > 0;
  }

  /** SIGKILL to every heartbeat process, master and children, so nothing is handed over. Returns what was killed. */
  async kill(): Promise<string> {
    const before = await this.node.succeed('pgrep -a -x heartbeat || true');
    await this.node.succeed('pkill -KILL -x heartbeat; sleep 0.2; ! pgrep -x heartbeat');
    return before;
  }

  /** `hb_takeover all`: the operator's tool when heartbeat runs but holds nothing. */
  async takeover(): Promise<void> {
    await this.node.succeed('/usr/share/heartbeat/hb_takeover all');
  }

  /** Lines of /var/log/ha-log from line `from` on (1-based); `lines()` tells where the log ends now. */
  async log(from = 1): Promise<string> {
    return this.node.succeed(`tail -n +${from} /var/log/ha-log`);
  }

  /** The last `lines` lines of /var/log/ha-log, in one round trip: a finding's evidence. */
  async tail(lines = 40): Promise<string> {
    return this.node.succeed(`tail -n ${lines} /var/log/ha-log`);
  }

  async logLines(): Promise<number> {
    return Number((await this.node.succeed('wc -l < /var/log/ha-log')).trim());
  }
}
