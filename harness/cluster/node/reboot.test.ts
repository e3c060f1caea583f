import { describe, expect, it } from 'vitest';
import { CommandError, isUnreachable } from './node.js';
import { surviveReboot, type Rebootable } from './reboot.js';

const node = (name: string, bootedAt: number, log: string[]): Rebootable => ({
  name,
  awaitSsh: async () => { log.push(`wait ${name}`); },
  bootedAt: async () => bootedAt,
});

describe('isUnreachable', () => {
  it('tells a node that could not be reached from a command that failed on it', () => {
    for (const message of ['connect ECONNREFUSED 192.168.121.107:22', 'read ECONNRESET', 'connect EHOSTUNREACH 1.2.3.4:22', 'Not connected to server',
      'Timed out while waiting for handshake', 'linux01: `true` timed out after 15 s']) expect(isUnreachable(new Error(message)), message).toBe(true);
    expect(isUnreachable(new Error('drbdadm: resource r0 is not configured'))).toBe(false);
    expect(isUnreachable(new CommandError('linux01', { command: 'x', stdout: '', stderr: 'ECONNREFUSED in its own output', code: 1 }, 'failed'))).toBe(false);
  });
});

describe('surviveReboot', () => {
  it('returns what the work returns when nothing goes wrong, without looking at the nodes', async () => {
    const log: string[] = [];
    expect(await surviveReboot([node('linux01', 0, log)], 100, async () => 'done', () => log.push('reboot'))).toBe('done');
    expect(log).toEqual([]);
  });

  it('after an unreachable node, waits for every node, names the ones that booted since, and runs the work again', async () => {
    const log: string[] = [];
    let attempts = 0;
    const result = await surviveReboot([node('linux01', 500, log), node('linux02', 50, log)], 100, async () => {
      if (++attempts === 1) throw new Error('connect ECONNREFUSED 192.168.121.107:22');
      return attempts;
    }, (n, at) => log.push(`rebooted ${n.name} at ${at}`));
    expect(result).toBe(2);
    expect(log).toEqual(['wait linux01', 'rebooted linux01 at 500', 'wait linux02']);
  });

  it('after an unreachable node that did not reboot, says so and runs the work again', async () => {
    const log: string[] = [];
    let attempts = 0;
    const result = await surviveReboot([node('linux01', 50, log)], 100, async () => {
      if (++attempts === 1) throw new Error('connect ECONNREFUSED 192.168.121.133:22');
      return 'again';
    }, () => log.push('reboot'), 300, (e) => log.push(`unreachable: ${e.message}`));
    expect(result).toBe('again');
    expect(log).toEqual(['wait linux01', 'unreachable: connect ECONNREFUSED 192.168.121.133:22']);
  });

  it('throws a command\'s own failure at once, and a second failure of the work', async () => {
    const log: string[] = [];
    const failed = async () => { throw new CommandError('linux01', { command: 'drbdadm up r0', stdout: '', stderr: '', code: 10 }, 'failed'); };
    await expect(surviveReboot([node('linux01', 500, log)], 100, failed, () => log.push('reboot'))).rejects.toThrow('drbdadm up r0');
    expect(log).toEqual([]);
    const unreachable = async () => { throw new Error('read ECONNRESET'); };
    await expect(surviveReboot([node('linux01', 500, log)], 100, unreachable, () => log.push('reboot'))).rejects.toThrow('ECONNRESET');
    expect(log).toEqual(['wait linux01', 'reboot']);
  });
});
