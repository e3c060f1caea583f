import { describe, expect, it } from 'vitest';
import { heartbeatRuntimeCommand, parseSecretFileModes, readHeartbeatRuntime, secretFileModesCommand } from './deployed-config.js';

describe("heartbeat's runtime view", () => {
  it('asks cl_status for itself, every node, every path to the peer and the resources', () => {
    const command = heartbeatRuntimeCommand('linux02');
    expect(command).toContain('cl_status hbstatus');
    expect(command).toContain('cl_status listhblinks linux02');
    expect(command).toContain('cl_status hblinkstatus linux02 $l');
    expect(command).toContain('cl_status rscstatus');
  });

  it('reads again while the group is in transition, and gives up after its time with what it said', async () => {
    const answers = ['hbstatus 0\nrsc transition', 'hbstatus 0\nrsc transition', 'hbstatus 0\nrsc local'];
    let asked = 0;
    expect(await readHeartbeatRuntime(async () => answers[asked++], 'linux02', 10)).toBe('hbstatus 0\nrsc local');
    expect(asked).toBe(3);
    expect(await readHeartbeatRuntime(async () => 'hbstatus 0\nrsc transition', 'linux02', 0)).toBe('hbstatus 0\nrsc transition');
    expect(await readHeartbeatRuntime(async () => '', 'linux02', 0)).toBeUndefined();
  });
});

describe('the secret files read in one round trip', () => {
  it('reports owner, group and mode of each file, none where it is absent (run here with sh)', async () => {
    const { execa } = await import('execa');
    const { mkdtempSync, writeFileSync, chmodSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir, userInfo } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'halab-secrets-'));
    const token = join(dir, 'token');
    writeFileSync(token, 'x');
    chmodSync(token, 0o600);
    const files = [token, join(dir, 'absent')];
    const { stdout } = await execa('sh', ['-c', secretFileModesCommand(files)]);
    const modes = parseSecretFileModes(stdout, files);
    expect(modes[join(dir, 'absent')]).toBe('none');
    expect(modes[token]).toMatch(new RegExp(`^${userInfo().username} \\S+ 600$`));
    expect(parseSecretFileModes('', files)).toEqual({ [token]: 'none', [join(dir, 'absent')]: 'none' });
  });
});
