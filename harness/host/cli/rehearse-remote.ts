/**
 * `npm run rehearse-remote -- [e2e options] [spec filters]`: a remote hypervisor, rehearsed on one
 * machine. The isolated lab's namespace plays the hypervisor's host: its libvirtd, and an sshd of
 * ours that listens only on a link to a second namespace (`<prefix>-client`). `npm run e2e` runs in
 * that second namespace with `--libvirt-uri qemu+ssh://root@10.211.254.1/system?keyfile=…`. The
 * client namespace has no route to the lab's networks: libvirt, vagrant and every connection to a
 * guest (SSH, MariaDB on the VIP) must go through that SSH host, as they would to a real one.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { retry } from 'zx';
import { cacheRoot } from '../box/box.js';
import { namespaceExists, openIsolatedLab } from '../lab/isolated-lab.js';
import { preflight } from '../preflight/preflight.js';
import { loadTopology } from '../../config/topology.js';
import { log } from '../../support/log.js';
import { PROJECT_DIR } from '../../support/paths.js';
import { EXIT } from './command-line.js';

const HELP = `npm run rehearse-remote -- [e2e options] [spec filters]
    npm run e2e over qemu+ssh:// to a stand-in hypervisor host on this machine: the isolated lab's namespace,
    reached only through an sshd of its own from a second namespace without a route to the lab's networks.
    Without filters: 00-lab, 01-procedure, 02-steady-state and V0 (what runs over a remote libvirt).
    The e2e options are npm run e2e's (--keep, --fresh, --seed…); docs/remote-hypervisor.md.`;

/** The link between the stand-in host and the client: a /30 of its own, nothing else routed. */
const HOST_ADDRESS = '10.211.254.1';
const CLIENT_ADDRESS = '10.211.254.2';
const HOST_LINK = 'halab-hv';
const CLIENT_LINK = 'halab-cl';
const SSHD_PID = '/run/ha-lab/rehearsal-sshd.pid';
const KNOWN_HOSTS = join(homedir(), '.ssh', 'known_hosts');

/** The rehearsal's keys and sshd configuration, made once and kept in the cache. */
async function keys(dir: string): Promise<{ clientKey: string; hostKey: string; config: string }> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const clientKey = join(dir, 'client_ed25519');
  const hostKey = join(dir, 'host_ed25519');
  for (const key of [clientKey, hostKey]) if (!existsSync(key)) await execa('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'ha-lab rehearse-remote', '-f', key]);
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(`${clientKey}.pub`));
  const config = join(dir, 'sshd_config');
  writeFileSync(config, [
    `ListenAddress ${HOST_ADDRESS}`,
    `HostKey ${hostKey}`,
    `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
    'PermitRootLogin prohibit-password',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    'AllowTcpForwarding yes',
    `PidFile ${SSHD_PID}`,
    '',
  ].join('\n'));
  return { clientKey, hostKey, config };
}

async function stopSshd(): Promise<void> {
  if (!existsSync(SSHD_PID)) return;
  const pid = Number(readFileSync(SSHD_PID, 'utf8').trim());
  try {
    if (pid > 0) process.kill(pid, 'SIGTERM');
  } catch {
    // already gone
  }
  rmSync(SSHD_PID, { force: true });
}

async function main(argv: readonly string[]): Promise<number> {
  if (argv.includes('-h') || argv.includes('--help')) {
    process.stdout.write(`${HELP}\n`);
    return EXIT.ok;
  }
  if (argv.some((arg) => arg === '--libvirt-uri' || arg.startsWith('--libvirt-uri='))) {
    log('rehearse', '--libvirt-uri is the rehearsal\'s own: it points npm run e2e at the stand-in host');
    return EXIT.usage;
  }
  const topology = loadTopology();
  const { prefix } = topology;
  const client = `${prefix}-client`;
  await preflight(['lab', 'rehearsal']);
  const dir = join(cacheRoot(), 'rehearse-remote');
  const { clientKey, hostKey, config } = await keys(dir);
  // The stand-in host: the isolated lab with its libvirtd, as every isolated run has it.
  const lab = await openIsolatedLab(prefix);
  let interrupted = false;
  const onSignal = () => {
    interrupted = true;
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const inClient = (file: string, args: string[]) => execa('ip', ['netns', 'exec', client, file, ...args], { reject: false });
  try {
    if (await namespaceExists(client)) await execa('ip', ['netns', 'del', client]);
    await execa('ip', ['netns', 'add', client]);
    await execa('ip', ['-n', client, 'link', 'set', 'lo', 'up']);
    await execa('ip', ['-n', prefix, 'link', 'del', HOST_LINK], { reject: false });
    await execa('ip', ['-n', prefix, 'link', 'add', HOST_LINK, 'type', 'veth', 'peer', 'name', CLIENT_LINK, 'netns', client]);
    await execa('ip', ['-n', prefix, 'addr', 'add', `${HOST_ADDRESS}/30`, 'dev', HOST_LINK]);
    await execa('ip', ['-n', client, 'addr', 'add', `${CLIENT_ADDRESS}/30`, 'dev', CLIENT_LINK]);
    for (const [ns, link] of [[prefix, HOST_LINK], [client, CLIENT_LINK]]) await execa('ip', ['-n', ns, 'link', 'set', link, 'up']);

    mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
    await stopSshd();
    await lab.exec('/usr/sbin/sshd', ['-f', config, '-E', join(dir, 'sshd.log')]);
    // Its host key is the one known for that address: libvirt's ssh, vagrant's proxy and the harness's jump all check it.
    mkdirSync(join(homedir(), '.ssh'), { recursive: true, mode: 0o700 });
    await execa('ssh-keygen', ['-R', HOST_ADDRESS, '-f', KNOWN_HOSTS], { reject: false });
    const hostPublic = readFileSync(`${hostKey}.pub`, 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
    writeFileSync(KNOWN_HOSTS, `${HOST_ADDRESS} ${hostPublic}\n`, { flag: 'a', mode: 0o600 });

    await retry(20, '500ms', async () => {
      const login = await inClient('ssh', ['-i', clientKey, '-o', 'BatchMode=yes', `root@${HOST_ADDRESS}`, 'true']);
      if (login.exitCode !== 0) throw new Error(`the stand-in host does not let the client in: ${String(login.stderr).trim()}`);
    });
    // No route from the client to the lab: a connection to MariaDB on the VIP must fail at once with
    // "Network is unreachable", or the rehearsal would prove nothing about the jump.
    const direct = await inClient('timeout', ['3', 'bash', '-c', `exec 3<>/dev/tcp/${topology.network.vip}/3306`]);
    const said = String(direct.stderr).trim().split('\n').pop() ?? '';
    if (!/Network is unreachable/.test(said)) throw new Error(`the client namespace ${client} is not cut off from the lab (a connection to ${topology.network.vip}:3306 gave ${said || `exit ${direct.exitCode}`}, not "Network is unreachable"): the rehearsal would prove nothing`);
    log('rehearse', `stand-in hypervisor host: sshd on ${HOST_ADDRESS} inside ${prefix}; client namespace ${client} (${CLIENT_ADDRESS}), cut off from the lab (${topology.network.vip}:3306 from there: ${said.replace(/^.*: /, '')})`);

    const uri = `qemu+ssh://root@${HOST_ADDRESS}/system?keyfile=${clientKey}`;
    log('rehearse', `npm run e2e -- --libvirt-uri '${uri}' ${argv.join(' ')} (inside ${client})`);
    const e2e = await execa('ip', ['netns', 'exec', client, 'npm', 'run', 'e2e', '--', '--libvirt-uri', uri, ...argv], { cwd: PROJECT_DIR, stdio: 'inherit', reject: false });
    return interrupted ? EXIT.interrupted : e2e.exitCode ?? EXIT.failed;
  } catch (error) {
    log('rehearse', `FAILED: ${(error as Error).message}`);
    return EXIT.failed;
  } finally {
    await stopSshd();
    await execa('ssh-keygen', ['-R', HOST_ADDRESS, '-f', KNOWN_HOSTS], { reject: false });
    await execa('ip', ['netns', 'del', client], { reject: false });
    // A kept cluster stays in the isolated lab (npm run down removes it); otherwise the stand-in host goes too.
    if (!argv.includes('--keep')) await lab.remove();
    log('rehearse', `the stand-in host's sshd and the client namespace removed${argv.includes('--keep') ? '; the kept cluster runs in the isolated lab (npm run down)' : ', and the isolated lab'}`);
  }
}

process.exit(await main(process.argv.slice(2)));
