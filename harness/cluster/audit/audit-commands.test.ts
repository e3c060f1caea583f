import { describe, expect, it } from 'vitest';
import { loadTopology } from '../../config/topology.js';
import { samplerScript } from '../heartbeat/holdings.js';
import { allowlistPolicy, CommandRefused, writesSomething } from '../node/command-policy.js';
import { auditAllowlist } from './audit-commands.js';

const t = loadTopology();

describe('the read-only audit\'s allowlist', () => {
  it('holds the configuration readers\' own commands, and every one of them reads only', async () => {
    const { exact } = await auditAllowlist(t, 'linux01');
    expect(exact.length).toBeGreaterThan(15);
    expect(exact).toContain('cat /proc/drbd');
    expect(exact).toContain(`drbdsetup show --show-defaults ${t.drbd.resource} 2>&1 || drbdadm dump ${t.drbd.resource} 2>&1`);
    expect(exact.filter((c) => writesSomething(c) !== undefined).map((c) => `${c}: ${writesSomething(c)}`)).toEqual([]);
  });

  it('lets the observers\' sampler through at any interval and duration, and finds nothing in it that writes', async () => {
    const policy = allowlistPolicy('linux01', await auditAllowlist(t, 'linux01'));
    for (const [interval, seconds] of [[100, 1800], [0, 0], [250, 7]]) expect(() => policy.check(samplerScript(t, interval, seconds))).not.toThrow();
    expect(writesSomething(samplerScript(t, 100, 60))).toBeUndefined();
  });

  it('refuses, before sending, any command that is not on it', async () => {
    const policy = allowlistPolicy('linux01', await auditAllowlist(t, 'linux01'));
    for (const command of ['systemctl stop heartbeat', 'touch /tmp/x', 'cat /proc/drbd; rm -rf /root', 'drbdadm primary r0', 'hb_takeover all']) {
      expect(() => policy.check(command), command).toThrow(CommandRefused);
      expect(() => policy.check(command)).toThrow(/linux01: refused to run .*not on the read-only audit's allowlist/);
    }
  });

  it('refuses a writing command even when it was put on the list', () => {
    const written = ['echo 1 > /etc/ha.d/ha.cf', 'systemctl restart heartbeat', "sed -i 's/a/b/' /etc/ha.d/ha.cf", 'drbdadm disconnect r0', 'mariadb -e "DELETE FROM blog.wp_posts"', 'cat /proc/drbd | tee /root/x', 'ip addr add 192.168.211.120/24 dev eth1', 'echo $(reboot)'];
    const policy = allowlistPolicy('linux02', { exact: written });
    for (const command of written) expect(() => policy.check(command), command).toThrow(/linux02: refused to run .*(redirects output|may change something|not a read-only command)/);
  });
});
