import { describe, expect, it } from 'vitest';
import { allowlistPolicy, CommandRefused, writesSomething } from './command-policy.js';

describe('writesSomething: commands that only read pass', () => {
  it.each([
    'cat /proc/drbd', 'uname -n', "stat -c '%U %G %a' /etc/ha.d/authkeys", "awk '$2 == \"/data\"' /proc/mounts", "grep -E '^x' /etc/ha.d/authkeys",
    "sed -n '/^\\s*handlers {/,/}/p' /etc/drbd.conf", 'head -n 3 /var/log/ha-log', 'tail -n 30 /var/log/ha-log', "tr ',' ' '", 'date +%s', 'true', 'test -e /etc/ha.d/ha.cf',
    'systemctl is-enabled heartbeat.service 2>/dev/null', 'systemctl is-active heartbeat', 'systemctl status drbd', 'systemctl show -p MainPID heartbeat',
    'drbdadm dump r0 2>/dev/null', 'drbdadm role r0', 'drbdadm cstate r0', 'drbdadm dstate r0', 'drbdadm status', 'drbdsetup show --show-defaults r0 2>&1', 'drbdsetup status r0',
    'cl_status hbstatus >/dev/null 2>&1; echo "hbstatus $?"', 'ip -o -4 addr show dev eth1', 'ip link show eth1',
    'mariadb -N -B -e "SELECT 1; SHOW TABLES"', 'mariadb -e "show variables"',
    'for n in $(cl_status listnodes 2>/dev/null); do echo "node $n $(cl_status nodestatus $n 2>/dev/null)"; done',
    'if [ -e /usr/sbin/drbdsetup ]; then stat -L -c \'%U\' /usr/sbin/drbdsetup; else echo missing; fi',
    'while read -r l; do echo "$l"; done < /proc/mounts', 'until true; do :; done', '! grep -q x /etc/hosts',
    'case $x in a) echo a;; esac', '{ cat /proc/drbd; }', 'v=1; w=2 cat /proc/drbd', 'x=$(cat /proc/loadavg)',
    '((n > 3)) && echo big', 'echo $((2 > 1))', '[[ $a > $b ]] && echo yes', '[[ $t =~ x[[:space:]]+y ]] && echo y',
    'look() { cat /proc/drbd; }; look', 'exec {pause}<> <(:)', 'cd -P /proc/1/cwd 2>/dev/null && cd /', 'printf -v s %d 3; local a; read -t 1 -u 5; shift; return 0',
    '# a comment, rm -rf /\ncat /proc/drbd', 'echo a\\;rm', 'cat /proc/drbd # rm -rf /',
    'echo "a \\" ; rm x"', 'echo "f(x); rm y"', "echo '$(rm x)'", 'echo $((3>2)) x', 'echo $((1+(2*3)))', '(( (a) > 1 )) && echo y',
    '[[ $x =~ a]]b ]] && echo q', 'systemctl -q is-active heartbeat', 'drbdadm -v dump r0', 'drbdsetup -v show r0', "sed -n '/x-i/p' f",
    'a[1]=2 cat /proc/drbd', 'a[12]=3 cat /proc/drbd', 'exec {a} {b}', 'cat /proc/drbd 2>&1 | head -n 2',
  ])('%s', (command) => expect(writesSomething(command)).toBeUndefined());
});

describe('writesSomething: anything that may write is refused, with why', () => {
  it.each([
    ['echo x > /etc/ha.d/ha.cf', 'it redirects output to /etc/ha.d/ha.cf'],
    ['echo x >> /var/log/ha-log', 'it redirects output to /var/log/ha-log'],
    ['cat /proc/drbd >/root/x 2>&1', 'it redirects output to /root/x'],
    ['echo x >/dev/nullx', 'it redirects output to /dev/nullx'],
    ['touch /tmp/x', 'touch is not a read-only command the audit knows'],
    ['then rm -rf /root', 'rm is not a read-only command the audit knows'],
    ['if true; then rm -f /x; fi', 'rm is not a read-only command the audit knows'],
    ['while true; do reboot; done', 'reboot is not a read-only command the audit knows'],
    ['! halt', 'halt is not a read-only command the audit knows'],
    ['{ mkfs.ext3 /dev/VG/data; }', 'mkfs.ext3 is not a read-only command the audit knows'],
    ['v=1 dd if=/dev/zero of=/dev/drbd0', 'dd is not a read-only command the audit knows'],
    ['$CMD /etc/ha.d/ha.cf', '$CMD is not a read-only command the audit knows'],
    ['echo $(systemctl stop heartbeat)', 'systemctl stop heartbeat may change something'],
    ['echo "$(hb_takeover all)"', 'hb_takeover is not a read-only command the audit knows'],
    ['(drbdadm primary r0)', 'drbdadm primary r0 may change something'],
    ['cat /proc/drbd | tee /root/copy', 'tee is not a read-only command the audit knows'],
    ['cat /proc/drbd && chmod 777 /etc/ha.d/authkeys', 'chmod is not a read-only command the audit knows'],
    ['true || ip addr add 192.168.211.120/24 dev eth1', 'ip addr add 192.168.211.120/24 dev eth1 may change something'],
    ['sleep 1 & kill 1', 'sleep is not a read-only command the audit knows'],
    ["sed -i 's/on/off/' /etc/ha.d/ha.cf", "sed -i s/on/off/ /etc/ha.d/ha.cf may change something"],
    ["sed 's/on/off/' /etc/ha.d/ha.cf", 'sed s/on/off/ /etc/ha.d/ha.cf may change something'],
    ["sed -n --in-place 's/a/b/' f", 'sed -n --in-place s/a/b/ f may change something'],
    ["sed -n 'w /root/x' f", 'sed -n w /root/x f may change something'],
    ["sed -n '1p; w /root/x' f", 'sed -n 1p; w /root/x f may change something'],
    ["sed -n 's/a/b/w /root/x' f", 'sed -n s/a/b/w /root/x f may change something'],
    ["awk '{ system(\"reboot\") }' /proc/mounts", 'awk { system("reboot") } /proc/mounts may change something'],
    ["awk '{ print > \"/root/x\" }' f", 'it redirects output to "/root/x"'],
    ["awk '{ print | \"sh\" }' f", 'awk { print | "sh" } f may change something'],
    ['date -s 2020-01-01', 'date -s 2020-01-01 may change something'],
    ['date --set=2020-01-01', 'date --set=2020-01-01 may change something'],
    ['systemctl restart heartbeat', 'systemctl restart heartbeat may change something'],
    ['systemctl --now enable heartbeat', 'systemctl --now enable heartbeat may change something'],
    ['systemctl', 'systemctl  may change something'],
    ['drbdadm disconnect r0', 'drbdadm disconnect r0 may change something'],
    ['drbdadm -- --force primary r0', 'drbdadm -- --force primary r0 may change something'],
    ['drbdsetup down r0', 'drbdsetup down r0 may change something'],
    ['drbdsetup', 'drbdsetup  may change something'],
    ['ip link set eth1 down', 'ip link set eth1 down may change something'],
    ['ip addr del 192.168.211.120/24 dev eth1', 'ip addr del 192.168.211.120/24 dev eth1 may change something'],
    ['ip route delete default', 'ip route delete default may change something'],
    ['ip route change default via 1.2.3.4', 'ip route change default via 1.2.3.4 may change something'],
    ['ip route replace default via 1.2.3.4', 'ip route replace default via 1.2.3.4 may change something'],
    ['ip neigh flush all', 'ip neigh flush all may change something'],
    ['mariadb -e "DELETE FROM blog.wp_posts"', 'mariadb -e DELETE FROM blog.wp_posts may change something'],
    ['mariadb -e "SELECT 1; DROP TABLE t"', 'mariadb -e SELECT 1; DROP TABLE t may change something'],
    ['mariadb blog', 'mariadb blog may change something'],
    ['exec rm -rf /', 'exec rm -rf / may change something'],
    ['/usr/bin/rm x', '/usr/bin/rm is not a read-only command the audit knows'],
    ['`reboot`', 'reboot is not a read-only command the audit knows'],
    // A > anywhere counts, quoted or not: awk and sed write through one inside their program.
    ["echo 'a > b'", 'it redirects output to b\''],
    ['# x\ntouch y', 'touch is not a read-only command the audit knows'],
    ['cat x 2>&1 & touch y', 'touch is not a read-only command the audit knows'],
    ['((n++)); touch x', 'touch is not a read-only command the audit knows'],
    ['(( (a) > 1 )) && rm x', 'rm is not a read-only command the audit knows'],
    ['echo $((1+(2*3))) > /root/x', 'it redirects output to /root/x'],
    ['echo $((1>0)); touch y', 'touch is not a read-only command the audit knows'],
    ['[[ -e x ]]; rm z', 'rm is not a read-only command the audit knows'],
    ['>/root/x cat /proc/drbd', 'it redirects output to /root/x'],
    ['exec x{a}', 'exec x{a} may change something'],
    ['exec {a}x', 'exec {a}x may change something'],
    ['exec {a} rm', 'exec {a} rm may change something'],
    ['mariadb -e "SELECT 1" -e "DROP TABLE t"', 'mariadb -e SELECT 1 -e DROP TABLE t may change something'],
    ['mariadb -e "DELETE FROM x WHERE a IN (SELECT 1)"', 'mariadb -e DELETE FROM x WHERE a IN (SELECT 1) may change something'],
    ['mariadb -e "SELECTED"', 'mariadb -e SELECTED may change something'],
    ['look() { cat /proc/drbd; }; other', 'other is not a read-only command the audit knows'],
  ])('%s', (command, why) => expect(writesSomething(command)).toBe(why));
});

describe('allowlistPolicy: the connection\'s check before sending', () => {
  const policy = allowlistPolicy('linux01', { exact: ['cat /proc/drbd', 'echo x > /root/x'], patterns: [/^tail -n \d+ \/var\/log\/ha-log$/] });

  it('lets a listed or patterned read-only command through', () => {
    expect(() => policy.check('cat /proc/drbd')).not.toThrow();
    expect(() => policy.check('tail -n 30 /var/log/ha-log')).not.toThrow();
    expect(policy.allowed).toEqual(new Set(['cat /proc/drbd', 'echo x > /root/x']));
  });

  it('refuses what is not listed, naming the node and the command\'s first line', () => {
    const refusal = (() => {
      try {
        policy.check(`cat /proc/drbd;\n${'x'.repeat(200)}`);
      } catch (error) {
        return error as CommandRefused;
      }
      throw new Error('not refused');
    })();
    expect(refusal).toBeInstanceOf(CommandRefused);
    expect(refusal.name).toBe('CommandRefused');
    expect(refusal.message).toBe("linux01: refused to run `cat /proc/drbd;`: not on the read-only audit's allowlist");
    expect(refusal.node).toBe('linux01');
    expect(() => policy.check('tail -n 30 /var/log/ha-log; rm x')).toThrow(/not on the read-only audit's allowlist/);
  });

  it('refuses a listed command that writes', () => {
    expect(() => policy.check('echo x > /root/x')).toThrow("linux01: refused to run `echo x > /root/x`: it redirects output to /root/x");
  });

  it('cuts a long command\'s line in the message', () => {
    expect(() => allowlistPolicy('n', { exact: [] }).check(`cat ${'y'.repeat(300)}`)).toThrow(`n: refused to run \`cat ${'y'.repeat(116)}\`: not on`);
  });
});
