import { describe, expect, it } from 'vitest';
import { guideLayout, renderDrbdConf } from './drbd-conf.js';
import { renderAuthkeys, renderHaCf, renderHaresources, renderPowerSwitchPlugin, renderPowerSwitchToken } from './heartbeat.js';
import { labHostPattern, renderMariadbCnf, renderWordpressConfig } from './mariadb.js';
import { loadTopology, validateTopology } from '../../harness/index.js';

const t = loadTopology();

describe('renderDrbdConf (P7)', () => {
  const conf = renderDrbdConf(t);

  it("carries the guide's resource, protocol and options", () => {
    expect(conf).toContain('resource r0 {');
    expect(conf).toContain('protocol C;');
    for (const option of ['after-sb-0pri disconnect;', 'after-sb-1pri disconnect;', 'after-sb-2pri disconnect;',
      'rr-conflict disconnect;', 'on-io-error detach;', 'resync-rate 10M;', 'al-extents 257;', 'usage-count no;']) {
      expect(conf).toContain(option);
    }
    expect(conf).toContain('fence-peer "/usr/libexec/heartbeat/drbd-peer-outdater -t 5";');
  });

  it('has one `on` section per node with its address, the LV and internal metadata', () => {
    expect(conf).toMatch(/on linux01 \{\s+device\s+\/dev\/drbd0;\s+disk\s+\/dev\/VG\/data;\s+address\s+192\.168\.211\.128:7788;\s+meta-disk internal;/);
    expect(conf).toMatch(/on linux02 \{[^}]+address\s+192\.168\.211\.129:7788;/);
  });

  it('uses none of the syntax drbd-utils 9 rejects', () => {
    expect(conf).not.toMatch(/incon-degr-cmd|flexible-meta-disk|syncer/);
  });

  it('follows the topology', () => {
    const other = validateTopology({ ...structuredClone(t), drbd: { ...t.drbd, resource: 'mysql', port: 7790 } });
    expect(renderDrbdConf(other)).toMatch(/resource mysql \{[\s\S]+192\.168\.211\.128:7790/);
  });

  it('external-md and the guide-v1 rehearsal lay the same resource body on another metadata device or disk', () => {
    const external = renderDrbdConf(t, { ...guideLayout(t), metaDisk: '/dev/VG/drbd-md[0]' });
    expect(external).toMatch(/on linux01 \{\s+device\s+\/dev\/drbd0;\s+disk\s+\/dev\/VG\/data;\s+address\s+192\.168\.211\.128:7788;\s+meta-disk \/dev\/VG\/drbd-md\[0\];/);
    expect(external).not.toContain('meta-disk internal');
    const copy = renderDrbdConf(t, { resource: 'r0v1', device: '/dev/drbd1', port: 7789, disk: '/dev/loop0', metaDisk: 'internal' });
    expect(copy).toMatch(/resource r0v1 \{[\s\S]+device\s+\/dev\/drbd1;\s+disk\s+\/dev\/loop0;\s+address\s+192\.168\.211\.128:7789;/);
    // The body (handlers, disk, net options) is the guide's either way.
    const body = (conf: string) => conf.slice(conf.indexOf('protocol'), conf.indexOf('  on linux01'));
    expect(body(copy)).toBe(body(conf));
  });
});

describe('heartbeat config (H1-H3)', () => {
  it('ha.cf points ucast at the peer on the lab interface, per node', () => {
    expect(renderHaCf(t, t.primary)).toContain('ucast eth1 192.168.211.129\n');
    expect(renderHaCf(t, t.secondary)).toContain('ucast eth1 192.168.211.128\n');
  });

  it("ha.cf has the guide's timings, nodes, ping node, ipfail and v1 mode", () => {
    const cf = renderHaCf(t, t.primary);
    for (const line of ['keepalive 2', 'deadtime 5', 'warntime 10', 'initdead 10', 'auto_failback on', 'node linux01', 'node linux02',
      'ping 192.168.211.2', 'respawn hacluster /usr/libexec/heartbeat/ipfail', 'apiauth ipfail gid=haclient uid=hacluster', 'crm off']) {
      expect(cf.split('\n')).toContain(line);
    }
  });

  it('authkeys defaults to sha1 with the secret; crc only on request', () => {
    expect(renderAuthkeys('sha1', 'abcdefghijklmnop1234')).toBe('auth 1\n1 sha1 abcdefghijklmnop1234\n');
    expect(renderAuthkeys('crc', '')).toBe('auth 1\n1 crc\n');
    expect(() => renderAuthkeys('sha1', 'short')).toThrow('at least 16');
  });

  it('haresources lists the resources in start order with the MariaDB init script', () => {
    expect(renderHaresources(t)).toBe('linux01 drbddisk::r0 Filesystem::/dev/drbd0::/data::ext3 IPaddr::192.168.211.120/24/eth1 mariadb\n');
  });
});

describe('MariaDB and WordPress config', () => {
  it('puts the datadir on the DRBD mount and listens on all addresses', () => {
    const cnf = renderMariadbCnf(t);
    expect(cnf).toContain('datadir = /data/mysql\n');
    expect(cnf).toContain('bind-address = 0.0.0.0\n');
  });

  it('grants the lab subnet only', () => {
    expect(labHostPattern(t)).toBe('192.168.211.%');
  });

  it('escapes the password in the WordPress config', () => {
    const php = renderWordpressConfig(t, { host: t.network.vip, user: 'wordpress', password: "a'b\\c" });
    expect(php).toContain("define('DB_PASSWORD', 'a\\'b\\\\c');");
    expect(php).toContain("define('DB_HOST', '192.168.211.120');");
  });
});

describe('the hardened profile\'s rendering (P7, H1)', () => {
  const h = loadTopology(undefined, 'hardened');
  const lines = (text: string) => text.split('\n').map((l) => l.trim());

  it('drbd.conf replicates on the dedicated link, fences with the outdater, tells of a split brain and bounds the boot wait', () => {
    const conf = renderDrbdConf(h);
    expect(conf).toMatch(/on linux01 \{[^}]+address\s+192\.168\.212\.128:7788;/);
    expect(conf).toMatch(/on linux02 \{[^}]+address\s+192\.168\.212\.129:7788;/);
    expect(conf).toMatch(/disk \{[^}]+fencing resource-and-stonith;/);
    for (const line of ['fence-peer "/usr/local/sbin/halab-fence-peer";', 'split-brain "/usr/lib/drbd/notify-split-brain.sh root";', 'wfc-timeout 60;', 'degr-wfc-timeout 30;']) {
      expect(lines(conf)).toContain(line);
    }
  });

  it('ha.cf adds heartbeat\'s second path to the peer on the link, dopd with its API rights, and the power switch as STONITH device', () => {
    const cf = lines(renderHaCf(h, h.primary));
    expect(cf).toEqual(expect.arrayContaining(['ucast eth1 192.168.211.129', 'ucast eth2 192.168.212.129', 'respawn hacluster /usr/libexec/heartbeat/dopd', 'apiauth dopd gid=haclient uid=hacluster',
      'stonith_host * external/halab-power-switch linux01,linux02 http://192.168.121.1:1229 /etc/ha.d/halab-power-switch.token']));
  });

  it("the power switch's token goes to its own file, never into ha.cf, and only a per-lab secret", () => {
    expect(renderPowerSwitchToken('abcdefghijklmnop1234')).toBe('abcdefghijklmnop1234\n');
    expect(() => renderPowerSwitchToken('short')).toThrow(/power switch's token must be at least 16 letters or digits/);
    expect(() => renderPowerSwitchToken('abcdefghijklmnop 1234')).toThrow(/16 letters or digits/);
  });

  it('the STONITH plugin answers cluster-glue\'s external interface: its parameters in stonith_host\'s order, reset through the switch', () => {
    const plugin = renderPowerSwitchPlugin();
    expect(plugin).toMatch(/getconfignames\) echo hostlist switch_url token_file ;;/);
    // The token from its file to curl's stdin: never on a command line another user could read in /proc.
    expect(plugin).toContain('token=$(cat "$token_file") || exit 1');
    expect(plugin).toContain('| curl -fsS --max-time 120 -X POST -H @- "$switch_url/$1/$2"');
    expect(plugin).toMatch(/on\) exit 1 ;;/);
  });

  it('none of it reaches the guide\'s rendering', () => {
    const guide = `${renderDrbdConf(t)}${renderHaCf(t, t.primary)}`;
    for (const hardening of ['192.168.212.', 'fencing', 'split-brain', 'wfc-timeout', 'eth2', 'dopd', 'stonith', 'token']) expect(guide).not.toContain(hardening);
  });
});
