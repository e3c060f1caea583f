import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPowerSwitch, type PowerSwitch } from '../../harness/index.js';
import { renderPowerSwitchPlugin } from './heartbeat.js';

/**
 * The STONITH plugin run for real by sh and curl, as cluster-glue's `external` interface runs it
 * (the operation as arguments, ha.cf's parameters in the environment), against the real power
 * switch with a fake libvirt behind it.
 */
describe('external/halab-power-switch against the lab\'s power switch', () => {
  const states: Record<string, string> = { 'ha-lab-linux01': 'paused', 'ha-lab-linux02': 'shut off' };
  const calls: string[] = [];
  let powerSwitch: PowerSwitch;
  let plugin: string;
  let dir: string;
  /** The plugin as heartbeat runs it: parameters in the environment, the token in a file of its own. */
  const run = (token: string, ...args: string[]) => {
    const tokenFile = join(dir, `token-${token.length}-${token.slice(0, 3)}`);
    writeFileSync(tokenFile, `${token}\n`, { mode: 0o600 });
    return execa('sh', [plugin, ...args], { reject: false, env: { hostlist: 'linux01,linux02', switch_url: powerSwitch.url, token_file: tokenFile } });
  };

  beforeAll(async () => {
    powerSwitch = await startPowerSwitch({
      host: '127.0.0.1', port: 0, token: 'sesame0123456789', domains: { linux01: 'ha-lab-linux01', linux02: 'ha-lab-linux02' },
      // Never the lab's own disks: this test's resets would cut a running lab's.
      volatileDisks: '/nonexistent/halab-test-disks',
    qemuPids: '/nonexistent/halab-test-qemu-pids',
      virsh: async (verb, domain) => {
        calls.push(`${verb} ${domain}`);
        if (verb === 'domstate') return states[domain];
        states[domain] = verb === 'start' ? 'running' : 'shut off';
        return '';
      },
    });
    dir = mkdtempSync(join(tmpdir(), 'halab-stonith-'));
    plugin = join(dir, 'halab-power-switch');
    writeFileSync(plugin, renderPowerSwitchPlugin());
    chmodSync(plugin, 0o755);
  });
  afterAll(() => powerSwitch?.close());

  it('names its parameters in stonith_host\'s order and lists the hosts', async () => {
    expect((await run('', 'getconfignames')).stdout).toBe('hostlist switch_url token_file');
    expect((await run('', 'gethosts')).stdout).toBe('linux01 linux02');
    expect((await run('', 'status')).exitCode).toBe(0);
  });

  it('reset power-cycles the frozen node and exits 0; a powered-off node stays off and counts as fenced', async () => {
    const reset = await run('sesame0123456789', 'reset', 'linux01');
    expect([reset.exitCode, reset.stdout]).toEqual([0, 'linux01 power-cycled']);
    expect(states['ha-lab-linux01']).toBe('running');
    expect((await run('sesame0123456789', 'reset', 'linux02')).stdout).toBe('linux02 is off: fenced');
    expect(calls).toEqual(['domstate ha-lab-linux01', 'destroy ha-lab-linux01', 'start ha-lab-linux01', 'domstate ha-lab-linux02']);
  });

  it('fails (heartbeat then retries, taking nothing over) with a wrong token, for an unknown node, and for `on`', async () => {
    calls.length = 0;
    expect((await run('wrong-token-0123', 'reset', 'linux01')).exitCode).not.toBe(0);
    expect((await run('sesame0123456789', 'reset', 'linux03')).exitCode).not.toBe(0);
    expect((await run('sesame0123456789', 'on', 'linux01')).exitCode).not.toBe(0);
    expect(calls).toEqual([]);
  });

  it('fails without its token file, asking nothing of the switch', async () => {
    calls.length = 0;
    const missing = await execa('sh', [plugin, 'reset', 'linux01'], { reject: false, env: { switch_url: powerSwitch.url, token_file: join(dir, 'no-such-file') } });
    expect(missing.exitCode).not.toBe(0);
    expect(calls).toEqual([]);
  });

  it('fails when the switch does not answer (between runs a kept cluster has none)', async () => {
    const down = await run('x', 'reset', 'linux01').then(() => execa('sh', [plugin, 'reset', 'linux01'], { reject: false, env: { switch_url: 'http://127.0.0.1:9', token_file: join(dir, 'token-1-x') } }));
    expect(down.exitCode).not.toBe(0);
  });
});
