import { describe, expect, it } from 'vitest';
import { CommandError, Heartbeat, type CommandResult, type LabNode } from './node.js';

/**
 * A node that answers commands from a script: each `pgrep` of heartbeat's master sees the pids
 * still listed, `systemctl stop` removes the ones systemd tracks, `kill -TERM` removes the rest.
 * The point is the logic of Heartbeat (which command when), not heartbeat.
 */
function fakeNode(masters: number[], tracked: number[]) {
  const commands: string[] = [];
  let running = [...masters];
  const run = async (command: string): Promise<CommandResult> => {
    commands.push(command);
    let stdout = '';
    if (command.startsWith('pgrep')) stdout = running.map((p) => `${p}\n`).join('');
    else if (command.includes('systemctl stop heartbeat')) running = running.filter((p) => !tracked.includes(p));
    else if (command.startsWith('kill -TERM')) running = running.filter((p) => !command.includes(String(p)));
    else if (command === 'systemctl start heartbeat') running.push(999);
    return { command, stdout, stderr: '', code: command.startsWith('pgrep') && !running.length ? 1 : 0 };
  };
  const node = {
    name: 'linux02',
    run,
    succeed: async (command: string) => {
      const result = await run(command);
      if (result.code !== 0) throw new CommandError('linux02', result, 'failed');
      return result.stdout;
    },
  };
  return { heartbeat: new Heartbeat(node as unknown as LabNode), commands, running: () => running };
}

describe('Heartbeat', () => {
  it('finds its masters in the process table, by the name heartbeat gives itself', async () => {
    const { heartbeat, commands } = fakeNode([2299, 2504], []);
    expect(await heartbeat.masters()).toEqual([2299, 2504]);
    expect(await heartbeat.running()).toBe(true);
    expect(commands[0]).toBe("pgrep -f '^heartbeat[:] master control process'");
    expect(await fakeNode([], []).heartbeat.running()).toBe(false);
  });

  it('refuses to start a second heartbeat beside one systemd lost, naming it, and starts one otherwise', async () => {
    const untracked = fakeNode([2299], []);
    await expect(untracked.heartbeat.start()).rejects.toThrow('linux02: heartbeat already runs (master pid 2299): refusing to start a second one beside it');
    expect(untracked.commands).not.toContain('systemctl start heartbeat');
    const none = fakeNode([], []);
    await none.heartbeat.start();
    expect(none.commands).toContain('systemctl start heartbeat');
  });

  it('stops what systemd tracks with systemctl, and SIGTERMs the masters it did not stop, saying which', async () => {
    const tracked = fakeNode([1110], [1110]);
    expect(await tracked.heartbeat.stopWithin(90)).toEqual({ stopped: true, outsideSystemd: [] });
    expect(tracked.commands.some((c) => c.startsWith('kill'))).toBe(false);
    const lost = fakeNode([1110, 2299], [1110]);
    expect(await lost.heartbeat.stopWithin(90)).toEqual({ stopped: true, outsideSystemd: [2299] });
    expect(lost.commands.find((c) => c.startsWith('kill -TERM'))).toMatch(/^kill -TERM 2299; timeout \d+ bash -c "while pgrep -f '\^heartbeat\[:\] master control process'/);
  });
});
