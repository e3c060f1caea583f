import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { bootStep, linkStep, renderFencePeer, renderHeartbeatDropIn, renderLinkNetwork, renderWaitForUpToDate } from './05-hardening.js';
import { procedurePhases } from './procedure.js';
import { Transcript } from './step.js';
import { fakeNode, fakeProcedure } from './testing/fake-procedure.js';

const hardened = (l1 = fakeNode('linux01'), l2 = fakeNode('linux02')) => fakeProcedure('final', l1, l2, 'hardened');

describe('the hardened profile\'s steps', () => {
  it('HD1 comes before the conversion and HD2 before heartbeat starts; the guide has neither', () => {
    const ids = (p: ReturnType<typeof hardened>) => procedurePhases(p).map((ph) => `${ph.name}: ${ph.steps.map((s) => s.id).join(' ')}`);
    expect(ids(hardened())).toContain('environment: P1 P2 S1 S2 E1 E1 E2 HD1 HD4');
    expect(ids(hardened()).at(-1)).toBe('heartbeat: H1 H2 H3 H4 H.mysql HD2 HD3 H.start');
    expect(ids(fakeProcedure('final', fakeNode('linux01'), fakeNode('linux02'))).join('\n')).not.toContain('HD');
  });

  it('HD1 addresses each node on the link, writes the file for later boots, and checks each reaches the other', async () => {
    const [l1, l2] = [fakeNode('linux01'), fakeNode('linux02')];
    const t = new Transcript([]);
    await linkStep(hardened(l1, l2)).run(t);
    expect(l1.asked.find((c) => c.includes('ip addr add'))).toContain('ip addr add 192.168.212.128/24 dev eth2');
    expect(l2.asked.find((c) => c.includes('ip addr add'))).toContain('ip addr add 192.168.212.129/24 dev eth2');
    expect(l1.asked.at(-1)).toBe('ping -c 2 -W 2 -I eth2 192.168.212.129');
    expect(t.entries.find((e) => e.node === 'linux02' && e.stdin)?.stdin).toBe(renderLinkNetwork(hardened().t.profile.hardening!, 'linux02'));
  });

  it('HD1 fails, naming the command, when the peer does not answer on the link', async () => {
    const l2 = fakeNode('linux02', [[/^ping /, { code: 1, stdout: '2 packets transmitted, 0 received' }]]);
    await expect(linkStep(hardened(fakeNode('linux01'), l2)).run(new Transcript([]))).rejects.toThrow('linux02: `ping -c 2 -W 2 -I eth2 192.168.212.128` failed (exit 1)');
  });

  it('HD2 is in place only when both units are enabled and both files are as rendered', async () => {
    const inPlace = (drift: boolean) => fakeNode('linux02', [[/^cmp -s - \/etc\/systemd/, { code: drift ? 1 : 0 }]]);
    expect(await bootStep(hardened(fakeNode('linux01'), inPlace(false))).done!(new Transcript([]))).toMatch(/enabled on both nodes/);
    expect(await bootStep(hardened(fakeNode('linux01'), inPlace(true))).done!(new Transcript([]))).toBeUndefined();
    expect(renderHeartbeatDropIn(hardened().t.profile.hardening!, 'r0')).toContain('ExecStartPre=/usr/local/sbin/halab-wait-uptodate r0 900\nTimeoutStartSec=960\n');
  });
});

/**
 * halab-wait-uptodate run for real by sh, with drbdadm, timeout and sleep replaced on PATH:
 * drbdadm answers the states listed, one per poll (the last repeats; the role defaults to
 * Secondary/Secondary); timeout (the VIP probe) succeeds when `serves` says so for that poll;
 * sleep returns at once.
 */
async function waitWith(states: ([dstate: string, cstate: string] | [dstate: string, cstate: string, role: string, serves: boolean])[], args: string[] = []): Promise<{ out: string; polls: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'halab-wait-'));
  writeFileSync(join(dir, 'states'), states.map(([d, c, r = 'Secondary/Secondary', serves = false]) => `${d} ${c} ${r} ${serves ? 0 : 1}`).join('\n'));
  const line = `n=$(cat "${dir}/polls" 2>/dev/null || echo 0)
line=$(sed -n "$((n + 1))p" "${dir}/states"); [ -n "$line" ] || line=$(tail -n 1 "${dir}/states")
set -- "$@" $line; shift $(($# - 4))`;
  writeFileSync(join(dir, 'drbdadm'), `#!/bin/sh
what=$1
${line}
case "$what" in dstate) echo "$1" ;; role) echo "$3" ;; cstate) echo "$2"; echo $((n + 1)) > "${dir}/polls" ;; esac
`);
  writeFileSync(join(dir, 'timeout'), `#!/bin/sh
n=$(($(cat "${dir}/polls") - 1)); set --
line=$(sed -n "$((n + 1))p" "${dir}/states"); [ -n "$line" ] || line=$(tail -n 1 "${dir}/states")
set -- $line; exit $4
`);
  writeFileSync(join(dir, 'sleep'), '#!/bin/sh\nexit 0\n');
  writeFileSync(join(dir, 'wait'), renderWaitForUpToDate('r0', '192.168.211.120', 3306));
  for (const f of ['drbdadm', 'timeout', 'sleep', 'wait']) chmodSync(join(dir, f), 0o755);
  const { stdout } = await execa('sh', [join(dir, 'wait'), 'r0', ...args], { env: { PATH: `${dir}:${process.env.PATH}` } });
  const polls = Number((await execa('cat', [join(dir, 'polls')], { reject: false })).stdout || 0);
  return { out: stdout, polls };
}

describe('halab-wait-uptodate (heartbeat\'s ExecStartPre)', () => {
  it('returns at once on an UpToDate disk', async () => {
    expect((await waitWith([['UpToDate/UpToDate', 'Connected']])).out).toBe('halab-wait-uptodate: r0 UpToDate (Connected) after 0 s');
  });

  it('waits through a resync, however long the peer stays connected', async () => {
    const { out, polls } = await waitWith([...Array(40).fill(['Inconsistent/UpToDate', 'SyncTarget']), ['UpToDate/UpToDate', 'Connected']]);
    expect(out).toBe('halab-wait-uptodate: r0 UpToDate (Connected) after 80 s');
    expect(polls).toBe(41);
  });

  it('starts anyway when no peer is there to sync from for the grace period', async () => {
    const { out, polls } = await waitWith([['Outdated/DUnknown', 'WFConnection']], ['900', '30']);
    expect(out).toBe('halab-wait-uptodate: r0 is Outdated, WFConnection: no peer to sync from for 30 s, starting anyway');
    expect(polls).toBe(15);
  });

  it('waits, UpToDate, while the peer is Primary and nothing answers on the VIP yet (its takeover unfinished), then starts', async () => {
    const { out, polls } = await waitWith([...Array(5).fill(['UpToDate/UpToDate', 'Connected', 'Secondary/Primary', false]), ['UpToDate/UpToDate', 'Connected', 'Secondary/Primary', true]]);
    expect(out).toBe('halab-wait-uptodate: r0 UpToDate (Connected), the peer serves on 192.168.211.120:3306, after 10 s');
    expect(polls).toBe(6);
  });

  it('starts anyway at its limit when the peer is Primary and never answers on the VIP', async () => {
    expect((await waitWith([['UpToDate/UpToDate', 'Connected', 'Secondary/Primary', false]], ['10'])).out)
      .toBe('halab-wait-uptodate: r0 still UpToDate (Connected, the peer Primary, nothing answering on the VIP) after 10 s, starting anyway');
  });

  it('gives up at its limit', async () => {
    expect((await waitWith([['Inconsistent/UpToDate', 'SyncTarget']], ['10'])).out).toBe('halab-wait-uptodate: r0 still Inconsistent (SyncTarget) after 10 s, starting anyway');
  });
});

/**
 * halab-fence-peer run for real by sh: the outdater answers the exit codes listed, one per call
 * (the last repeats), cl_status the peer's states likewise (exit 1 for any but active, as
 * heartbeat's does); date counts one second per call and
 * sleep returns at once. Returns its exit code, what it logged, and how often the outdater ran.
 */
async function fencePeerWith(exits: number[], peerStates: string[], limitSeconds = 60): Promise<{ code: number; log: string; calls: number; asked: string; slept: number[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'halab-fence-'));
  const nth = (name: string, list: string[]) => `#!/bin/sh
n=$(cat "${dir}/${name}.n" 2>/dev/null || echo 0); echo $((n + 1)) > "${dir}/${name}.n"
set -- ${list.join(' ')}; i=0; for v; do i=$((i + 1)); last=$v; [ "$i" -gt "$n" ] && break; done
`;
  writeFileSync(join(dir, 'outdater'), `#!/bin/sh\necho "$@" > "${dir}/asked"\n${nth('outdater', exits.map(String))}exit $last\n`);
  writeFileSync(join(dir, 'cl_status'), `#!/bin/sh\necho "$1 $2" > "${dir}/peer"\n${nth('cl_status', peerStates)}echo $last; [ "$last" = active ]\n`);
  writeFileSync(join(dir, 'date'), `${nth('date', ['0'])}echo $n\n`);
  writeFileSync(join(dir, 'uname'), '#!/bin/sh\necho linux01\n');
  writeFileSync(join(dir, 'sleep'), `#!/bin/sh\necho "$1" >> "${dir}/slept"\n`);
  writeFileSync(join(dir, 'logger'), '#!/bin/sh\nexit 0\n');
  writeFileSync(join(dir, 'handler'), renderFencePeer(['linux01', 'linux02'], { outdaterTimeoutSeconds: 5, limitSeconds, outdater: join(dir, 'outdater') }));
  for (const f of ['outdater', 'cl_status', 'date', 'uname', 'sleep', 'logger', 'handler']) chmodSync(join(dir, f), 0o755);
  const { exitCode, stderr } = await execa('sh', [join(dir, 'handler')], { env: { PATH: `${dir}:${process.env.PATH}` }, reject: false });
  const read = async (f: string) => (await execa('cat', [join(dir, f)], { reject: false })).stdout.trim();
  expect(await read('peer').then((p) => p || 'nodestatus linux02')).toBe('nodestatus linux02');
  return { code: exitCode ?? -1, log: stderr, calls: Number(await read('outdater.n')), asked: await read('asked'), slept: (await read('slept')).split('\n').filter(Boolean).map(Number) };
}

describe('halab-fence-peer (DRBD\'s fence-peer handler, HD4)', () => {
  it('believes "outdated" only when the outdater repeats it 12 s later, once the peer has noticed the loss (dopd says 4 for a peer still Connected)', async () => {
    const { code, calls, slept, log, asked } = await fencePeerWith([4], ['active']);
    expect({ code, calls, slept, asked }).toEqual({ code: 4, calls: 2, slept: [12], asked: '-t 5' });
    expect(log).toBe('halab-fence-peer: linux02: outdater exit 4, attempt 1: asked again in 12 s, once the peer\'s DRBD has noticed the loss too\n' +
      'halab-fence-peer: linux02: outdater exit 4 again, attempt 2: the peer is Outdated');
  });

  it('asks again while heartbeat still hears the peer when the outdater says "unreachable", until the peer is outdated', async () => {
    const { code, calls, slept, log } = await fencePeerWith([5, 5, 4, 4], ['active']);
    expect({ code, calls, slept }).toEqual({ code: 4, calls: 4, slept: [1, 1, 12] });
    expect(log).toContain('linux02: outdater exit 5 while heartbeat says active: asking again, attempt 1');
  });

  it('passes on what the outdater says after the settle time when the peer was lost meanwhile (dead: exit 5)', async () => {
    expect(await fencePeerWith([4, 5], ['dead'])).toMatchObject({ code: 5, calls: 2, slept: [12] });
  });

  it('says "unreachable" (exit 5) only once heartbeat says the peer is dead', async () => {
    const { code, calls, log } = await fencePeerWith([5], ['active', 'active', 'dead']);
    expect({ code, calls }).toEqual({ code: 5, calls: 3 });
    expect(log).toContain('linux02: outdater exit 5, heartbeat says dead: passed on, attempt 3');
  });

  it('passes the answer on when heartbeat cannot be asked (not running here): what the outdater alone would do', async () => {
    expect(await fencePeerWith([5], [''])).toMatchObject({ code: 5, calls: 1 });
  });

  it('leaves I/O frozen (exit 1, which DRBD treats as a broken helper) when a live peer cannot be outdated within the limit', async () => {
    const { code, calls, log } = await fencePeerWith([5], ['active'], 10);
    expect(code).toBe(1);
    expect(calls).toBeGreaterThan(3);
    expect(log).toContain('linux02: heartbeat says active, yet the outdater answered 5 for 10 s: exit 1, I/O stays frozen for an operator');
  });
});
