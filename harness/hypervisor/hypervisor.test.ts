import { describe, expect, it } from 'vitest';
import { Hypervisor, type CommandRunner } from './hypervisor.js';

/** A runner that records each virsh call and answers from a table (a missing entry: virsh failed). */
function recording(answers: Record<string, string>) {
  const calls: string[] = [];
  const runner: CommandRunner = async (file, args, options) => {
    const line = `${file} ${args.join(' ')}`;
    calls.push(line);
    const key = args.slice(3).join(' ');
    if (!(key in answers)) {
      if (options?.reject === false) return { exitCode: 1, stdout: '' };
      throw new Error(`error: failed to get domain '${args.at(-1)}'`);
    }
    return { exitCode: 0, stdout: answers[key] };
  };
  return { calls, runner };
}

describe('the hypervisor handle', () => {
  it('runs every virsh against its URI, and asks a domain for its power and snapshots', async () => {
    const { calls, runner } = recording({ 'domstate halab-linux01': 'running\n', 'snapshot-list halab-linux01 --name': 'halab-steady-abc\n\nother\n', 'destroy halab-linux01': '' });
    const vm = new Hypervisor(runner, 'qemu+ssh://far/system', '/nonexistent/halab-test-disks').domain('halab-linux01');
    expect(await vm.state()).toBe('running');
    expect(await vm.snapshots()).toEqual(['halab-steady-abc', 'other']);
    await vm.powerOff();
    expect(calls).toEqual([
      'virsh -q -c qemu+ssh://far/system domstate halab-linux01',
      'virsh -q -c qemu+ssh://far/system snapshot-list halab-linux01 --name',
      'virsh -q -c qemu+ssh://far/system destroy halab-linux01',
    ]);
  });

  it('rejects a failing command with virsh\'s words; a query says undefined instead', async () => {
    const { runner } = recording({});
    const hypervisor = new Hypervisor(runner);
    await expect(hypervisor.domain('gone').state()).rejects.toThrow("failed to get domain 'gone'");
    expect(await hypervisor.query('pool-info', 'halab')).toBeUndefined();
    expect(await hypervisor.answers()).toBe(false);
  });
});
