import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { removeVolatileDisk, VolatileDisk } from '../volatile-disk/volatile-disk.js';
import { describeOperation, floodGuard, handlePowerRequest, startPowerSwitch, tokenMatches, type PowerSwitchOptions } from './power-switch.js';

/** A fake libvirt: each domain's state, and the calls made, in order. */
function fakeLab(states: Record<string, string>) {
  const calls: string[] = [];
  const options: PowerSwitchOptions = {
    host: '127.0.0.1', port: 0, token: 'sesame', domains: { linux01: 'ha-lab-linux01', linux02: 'ha-lab-linux02' },
    // Never the lab's own: a test's power cut would cut a running lab's disk.
    volatileDisks: '/nonexistent/halab-test-disks',
    qemuPids: '/nonexistent/halab-test-qemu-pids',
    virsh: async (...args) => {
      calls.push(args.join(' '));
      const [verb, domain] = args;
      if (verb === 'domstate') return `${states[domain]}\n`;
      if (verb === 'destroy') states[domain] = 'shut off';
      if (verb === 'start') states[domain] = 'running';
      return '';
    },
  };
  return { options, calls, states };
}

describe('power switch', () => {
  it('power-cycles a running node: destroy, then start', async () => {
    const lab = fakeLab({ 'ha-lab-linux01': 'running' });
    const answer = await handlePowerRequest(lab.options, 'POST', '/reset/linux01', '192.168.121.12', true);
    expect(answer.status).toBe(200);
    expect(lab.calls).toEqual(['domstate ha-lab-linux01', 'destroy ha-lab-linux01', 'start ha-lab-linux01']);
    expect(answer.operation).toMatchObject({ from: '192.168.121.12', action: 'reset', node: 'linux01', before: 'running', outcome: 'power-cycled' });
    expect(answer.operation!.cutAt).toBeLessThanOrEqual(Date.parse(answer.operation!.at));
  });

  it('power-cycles a frozen (paused) node, so that it never thaws into the cluster', async () => {
    const lab = fakeLab({ 'ha-lab-linux01': 'paused' });
    const answer = await handlePowerRequest(lab.options, 'POST', '/reset/linux01', 'x', true);
    expect(answer.operation?.outcome).toBe('power-cycled');
    expect(lab.states['ha-lab-linux01']).toBe('running');
  });

  it('leaves a node found powered off as it is: fenced, not started behind the fault\'s back', async () => {
    const lab = fakeLab({ 'ha-lab-linux01': 'shut off' });
    const answer = await handlePowerRequest(lab.options, 'POST', '/reset/linux01', 'x', true);
    expect(answer.status).toBe(200);
    expect(answer.operation?.outcome).toBe('already off');
    expect(answer.operation?.cutAt).toBeUndefined();
    expect(lab.calls).toEqual(['domstate ha-lab-linux01']);
  });

  it('off cuts the power and does not turn it on again', async () => {
    const lab = fakeLab({ 'ha-lab-linux02': 'running' });
    const answer = await handlePowerRequest(lab.options, 'POST', '/off/linux02', 'x', true);
    expect(answer.operation?.outcome).toBe('powered off');
    expect(lab.states['ha-lab-linux02']).toBe('shut off');
  });

  it('refuses without the token and for a node it has no outlet for, touching nothing', async () => {
    const lab = fakeLab({ 'ha-lab-linux01': 'running' });
    expect((await handlePowerRequest(lab.options, 'POST', '/reset/linux01', 'x', false)).status).toBe(403);
    expect((await handlePowerRequest(lab.options, 'POST', '/reset/linux03', 'x', true)).status).toBe(404);
    expect((await handlePowerRequest(lab.options, 'GET', '/reset/linux01', 'x', true)).status).toBe(404);
    expect(lab.calls).toEqual([]);
  });

  it('a failing virsh is a failed fence (the plugin exits non-zero, heartbeat retries and takes nothing over)', async () => {
    const lab = fakeLab({ 'ha-lab-linux01': 'running' });
    lab.options.virsh = async (verb) => {
      if (verb === 'destroy') throw new Error('error: Failed to destroy domain');
      return 'running';
    };
    const answer = await handlePowerRequest(lab.options, 'POST', '/reset/linux01', 'x', true);
    expect(answer.status).toBe(500);
    expect(describeOperation(answer.operation!)).toMatch(/asked reset of linux01 \(was running\): failed \(error: Failed to destroy domain\)$/);
  });

  it('serves HTTP: status without a token, a reset only with it, and records each operation', async () => {
    const lab = fakeLab({ 'ha-lab-linux02': 'running' });
    const recorded: string[] = [];
    const server = await startPowerSwitch({ ...lab.options, record: (op) => recorded.push(op.outcome) });
    try {
      const port = Number(new URL(server.url).port);
      const url = `http://127.0.0.1:${port}`;
      expect((await fetch(`${url}/status`)).status).toBe(200);
      expect((await fetch(`${url}/reset/linux02`, { method: 'POST', headers: { authorization: 'Bearer wrong!' } })).status).toBe(403);
      const ok = await fetch(`${url}/reset/linux02`, { method: 'POST', headers: { authorization: 'Bearer sesame' } });
      expect([ok.status, await ok.text()]).toEqual([200, 'linux02 power-cycled\n']);
      expect(recorded).toEqual(['refused', 'power-cycled']);
      expect(server.operations).toHaveLength(2);
    } finally {
      await server.close();
    }
  });

  it('refuses each bad request with its reason logged and no power change: no token, a wrong one, no outlet, an unknown action, a stranger', async () => {
    const lab = fakeLab({ 'ha-lab-linux01': 'running' });
    const options = { ...lab.options, askers: { '192.168.121.12': 'linux02' } };
    const refusals = await Promise.all([
      handlePowerRequest(options, 'POST', '/reset/linux01', '192.168.121.12', false),
      handlePowerRequest(options, 'POST', '/reset/linux03', '192.168.121.12', true),
      handlePowerRequest(options, 'POST', '/reset/constructor', '192.168.121.12', true),
      handlePowerRequest(options, 'POST', '/reboot/linux01', '192.168.121.12', true),
      handlePowerRequest(options, 'DELETE', '/reset/linux01', '192.168.121.12', true),
      handlePowerRequest(options, 'POST', '/reset/linux01', '192.168.121.99', true),
    ]);
    expect(refusals.map((r) => [r.status, r.operation?.outcome, r.operation?.detail])).toEqual([
      [403, 'refused', 'wrong or missing token'],
      [404, 'refused', 'no outlet for linux03: not a lab node'],
      [404, 'refused', 'no outlet for constructor: not a lab node'],
      [404, 'refused', 'unknown request POST /reboot/linux01'],
      [404, 'refused', 'unknown request DELETE /reset/linux01'],
      [403, 'refused', "192.168.121.99 is not a lab node's address"],
    ]);
    expect(lab.calls).toEqual([]);
    expect(lab.states['ha-lab-linux01']).toBe('running');
  });

  it('names the node that asked, in the log and its line', async () => {
    const lab = fakeLab({ 'ha-lab-linux01': 'running' });
    const answer = await handlePowerRequest({ ...lab.options, askers: { '192.168.121.12': 'linux02' } }, 'POST', '/reset/linux01', '192.168.121.12', true);
    expect(answer.operation).toMatchObject({ asker: 'linux02', from: '192.168.121.12', outcome: 'power-cycled' });
    expect(describeOperation(answer.operation!)).toMatch(/ linux02 \(192\.168\.121\.12\) asked reset of linux01 \(was running\): power-cycled$/);
  });

  it('compares the token in constant time whatever its length, and never matches an empty token', () => {
    expect(tokenMatches('Bearer sesame', 'sesame')).toBe(true);
    expect(tokenMatches('Bearer sesamf', 'sesame')).toBe(false);
    expect(tokenMatches('Bearer sesame-and-more', 'sesame')).toBe(false);
    expect(tokenMatches(undefined, 'sesame')).toBe(false);
    expect(tokenMatches('Bearer ', '')).toBe(false);
  });

  it('lets at most the limit through in a window, then again once it has passed', () => {
    let t = 0;
    const allow = floodGuard(3, 1000, () => t);
    expect([allow(), allow(), allow(), allow()]).toEqual([true, true, true, false]);
    t = 999;
    expect(allow()).toBe(false);
    t = 1000;
    expect(allow()).toBe(true);
  });

  it('refuses a flood over HTTP with 429, logged, before it reaches an outlet', async () => {
    const lab = fakeLab({ 'ha-lab-linux02': 'running' });
    const recorded: string[] = [];
    const server = await startPowerSwitch({ ...lab.options, floodLimit: 2, floodWindowMs: 60_000, record: (op) => recorded.push(`${op.outcome} ${op.detail ?? ''}`.trim()) });
    try {
      const url = `http://127.0.0.1:${new URL(server.url).port}/reset/linux02`;
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await fetch(url, { method: 'POST', headers: { authorization: 'Bearer wrong' } })).status);
      expect(statuses).toEqual([403, 403, 429, 429]);
      expect(recorded.slice(2)).toEqual(['refused more than 2 requests in 60 s', 'refused more than 2 requests in 60 s']);
      expect(lab.calls).toEqual([]);
    } finally {
      await server.close();
    }
  });
});

describe('power switch on a VM with a volatile disk', () => {
  it('cuts the disk\'s cache with the power, saying what it lost, and serves the disk again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'halab-switch-'));
    try {
      const file = join(dir, 'd.raw');
      writeFileSync(file, '');
      truncateSync(file, 1024 * 1024);
      const disk = await VolatileDisk.serve('ha-lab-linux01', file, dir);
      // The VM's qemu, as libvirt's PID file names it: a process of the test's own.
      const qemu = execa('sleep', ['600'], { reject: false });
      writeFileSync(join(dir, 'ha-lab-linux01.pid'), `${qemu.pid}\n`);
      const lab = fakeLab({ 'ha-lab-linux01': 'running', 'ha-lab-linux02': 'running' });
      // libvirt says shut off once it sees its qemu gone.
      void qemu.then(() => (lab.states['ha-lab-linux01'] = 'shut off'));
      const answer = await handlePowerRequest({ ...lab.options, volatileDisks: dir, qemuPids: dir }, 'POST', '/reset/linux01', 'x', true);
      expect(answer.operation).toMatchObject({ outcome: 'power-cycled', detail: 'its disk\'s cache lost 0 write(s), 0 bytes in 0 4 KiB block(s) with no flush since the disk was served' });
      expect((await qemu).signal, 'the VM\'s qemu killed, not asked to quit').toBe('SIGKILL');
      expect(VolatileDisk.find('ha-lab-linux01', dir)?.pid).not.toBe(disk.pid);
    } finally {
      await removeVolatileDisk('ha-lab-linux01', dir);
      rmSync(dir, { recursive: true, force: true });
    }
  }, 20_000);
});
