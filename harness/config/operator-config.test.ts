import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PROJECT_DIR } from '../support/paths.js';
import { applyMapping, checkAuthkeys, checkDrbdConf, checkHaCf, checkHaresources, checkMariadbCnf, loadOperatorConfig, OperatorConfigError, withOperatorConfig } from './operator-config.js';
import { loadTopology } from './topology.js';

const t = loadTopology();
const EXAMPLE = join(PROJECT_DIR, 'examples', 'shop-db');
const scratch: string[] = [];
afterEach(() => {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A copy of the example with one file changed. */
function exampleWith(file: string, edit: (text: string) => string): string {
  const dir = mkdtempSync(join(tmpdir(), 'halab-config-'));
  scratch.push(dir);
  cpSync(EXAMPLE, join(dir, 'shop-db'), { recursive: true });
  const path = join(dir, 'shop-db', file);
  writeFileSync(path, edit(readFileSync(path, 'utf8')));
  return join(dir, 'shop-db');
}

const problemsOf = (dir: string) => {
  try {
    loadOperatorConfig(dir, t);
  } catch (error) {
    if (error instanceof OperatorConfigError) return error.problems.map((p) => `${p.file}${p.line ? `:${p.line}` : ''}: ${p.message}`);
    throw error;
  }
  return [];
};

describe('applyMapping: the operator\'s names become the lab\'s, token by token', () => {
  const mapping = { nodes: { 'db-a': 'linux01' }, addresses: { '10.0.0.1': '192.168.211.128' }, interfaces: { bond0: 'eth1' }, paths: { '/srv/mysql': '/data' }, words: { mysql: 'mariadb' } };
  it.each([
    ['on db-a {', 'on linux01 {'],
    ['address 10.0.0.1:7788;', 'address 192.168.211.128:7788;'],
    ['ucast bond0 10.0.0.1', 'ucast eth1 192.168.211.128'],
    ['IPaddr::10.0.0.1/24/bond0 mysql', 'IPaddr::192.168.211.128/24/eth1 mariadb'],
    ['datadir = /srv/mysql/mysql', 'datadir = /data/mysql'],
  ])('%s → %s', (text, mapped) => expect(applyMapping(text, mapping)).toBe(mapped));

  it.each([
    ['10.0.0.10', 'an address that only starts like a mapped one'],
    ['db-ab', 'a longer name'],
    ['/srv/mysql-old', 'a sibling path'],
    ['[mysqld]', 'a word inside a longer one'],
    ['bond01', 'a longer interface name'],
  ])('leaves %s alone (%s)', (text) => expect(applyMapping(text, mapping)).toBe(text));

  it('replaces each token once: a mapping onto another mapped name is not applied twice', () => {
    expect(applyMapping('node a b', { nodes: { a: 'b', b: 'c' }, addresses: {} })).toBe('node b c');
  });
});

describe('loadOperatorConfig: examples/shop-db', () => {
  it('maps to the lab\'s names and takes heartbeat\'s timing and the authkeys method from the files', () => {
    const config = loadOperatorConfig(EXAMPLE, t);
    expect(config.drbdConf).toContain('on linux01 {');
    expect(config.drbdConf).toContain('disk      /dev/VG/data;');
    expect(config.drbdConf).toContain('after-sb-1pri discard-secondary;');
    expect(config.haresources).toContain('linux01 drbddisk::r0 Filesystem::/dev/drbd0::/data::ext3 IPaddr::192.168.211.120/24/eth1 mariadb');
    expect(config.mariadbCnf).toContain('datadir = /data/mysql');
    expect(config.heartbeat).toEqual({ keepalive: 2, deadtime: 10, warntime: 5, initdead: 30, autoFailback: true, auth: 'md5' });
    expect(withOperatorConfig(t, config).heartbeat.deadtime).toBe(10);
    expect(config.digest).toMatch(/^[0-9a-f]{12}$/);
    expect(config.acceptanceFile).toBe(join(EXAMPLE, 'acceptance.json'));
  });

  it('changes its digest when a file changes', () => {
    expect(loadOperatorConfig(exampleWith('ha.cf', (s) => s.replace('deadtime 10', 'deadtime 12')), t).digest).not.toBe(loadOperatorConfig(EXAMPLE, t).digest);
  });
});

describe('loadOperatorConfig refuses what cannot run in the lab, by file and line, all at once', () => {
  it.each([
    ['ha.cf', (s: string) => s.replace('udpport 694', 'udp_port 694'), 'ha.cf:9: "udp_port" is no ha.cf directive heartbeat 3.0.6 knows'],
    ['ha.cf', (s: string) => s.replace('ucast bond0 10.20.0.12', 'ucast bond1 10.20.0.12'), 'ha.cf:11: ucast on bond1: the lab\'s nodes have no such interface'],
    ['ha.cf', (s: string) => s.replace('logfile /var/log/ha-log', 'use_logd yes'), 'ha.cf:3: use_logd yes'],
    ['ha.cf', (s: string) => `${s}stonith_host * external/ipmi db-a 10.9.9.9 admin secret\n`, 'ha.cf:17: stonith_host: the lab has no such fencing device'],
    ['ha.cf', (s: string) => `${s}respawn hacluster /usr/lib64/heartbeat/ipfail\n`, 'ha.cf:17: respawn /usr/lib64/heartbeat/ipfail: not on the lab\'s nodes'],
    ['ha.cf', (s: string) => s.replace('crm off', 'crm respawn'), 'ha.cf:16: crm respawn: the procedure is Heartbeat v1'],
    ['haresources', (s: string) => s.replace(' mysql\n', ' mysql-server\n'), 'haresources:2: mysql-server: no such resource agent or init script'],
    ['haresources', (s: string) => s.replace('IPaddr::10.20.0.50/24/bond0', '10.20.0.50'), 'haresources:2: 192.168.211.120: a bare address makes IPaddr guess the interface'],
    ['haresources', (s: string) => s.replace('10.20.0.50', '10.20.0.60'), 'haresources:2: address 10.20.0.60 is not an address of the lab'],
    ['drbd.conf', (s: string) => s.replace('disk      /dev/vg_mysql/lv_mysql;', 'disk      /dev/vg_other/lv;'), 'drbd.conf:29: disk /dev/vg_other/lv: the lab\'s backing disk is /dev/VG/data'],
    ['drbd.conf', (s: string) => s.replaceAll('meta-disk internal;', 'meta-disk /dev/vg_mysql/md[0];'), 'drbd.conf:31: meta-disk /dev/vg_mysql/md[0]'],
    ['drbd.conf', (s: string) => s.replace('resource shopdb', 'resource orders'), 'drbd.conf: no resource r0 (found orders)'],
    ['drbd.conf', (s: string) => s.replace('on db-b {', 'on db-c {'), 'drbd.conf:33: on db-c: not a lab node'],
    ['authkeys', (s: string) => s.replace('1 md5', '1 sha256'), 'authkeys:3: key 1: method sha256 is not crc, sha1 or md5'],
    ['mariadb.cnf', (s: string) => s.replace('datadir = /srv/mysql/mysql', 'datadir = /var/lib/mysql'), 'mariadb.cnf:3: datadir /var/lib/mysql'],
    ['mapping.json', (s: string) => s.replace('"bond0": "eth1"', '"bond0": "eth7"'), 'mapping.json: interfaces.bond0 = "eth7" is not one of the lab\'s interfaces'],
    ['mapping.json', (s: string) => s.replace('"words"', '"wordz"'), 'mapping.json: wordz = '],
  ])('%s: %s', (file, edit, problem) => {
    expect(problemsOf(exampleWith(file, edit)).join('\n')).toContain(problem);
  });

  it('names a missing file and what to put there', () => {
    const dir = exampleWith('ha.cf', (s) => s);
    rmSync(join(dir, 'haresources'));
    expect(problemsOf(dir)).toContain('haresources: missing');
  });

  it('refuses a directory that does not exist', () => {
    expect(() => loadOperatorConfig('/nonexistent/config', t)).toThrow(/no such directory/);
  });

  it('says every problem with the fix, one per line', () => {
    try {
      loadOperatorConfig(exampleWith('ha.cf', (s) => s.replace('node db-b', 'node db-z')), t);
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).toMatch(/cannot run in the lab \(2 problems\):\n {2}ha\.cf:14: node db-z: not a lab node — map it in mapping\.json "nodes" to linux01 or linux02\n {2}ha\.cf: no node line for linux02/);
    }
  });
});

describe('the single files\' checks', () => {
  it('checkHaCf: a missing logfile, a missing node, a ping node that is not the lab\'s', () => {
    const { problems } = checkHaCf('node linux01\nping 10.1.1.1\n', t);
    expect(problems.map((p) => p.message)).toEqual([
      'ping 10.1.1.1: the lab\'s one ping node is 192.168.211.2 (the host side of the lab network)',
      'logfile is not set: the harness reads heartbeat\'s log from /var/log/ha-log',
      'no node line for linux02',
      'address 10.1.1.1 is not an address of the lab',
    ]);
  });

  it('checkHaCf: timing in seconds or milliseconds', () => {
    expect(checkHaCf('keepalive 500ms\ndeadtime 10\nauto_failback off\n', t).timing).toEqual({ keepalive: 0.5, deadtime: 10, autoFailback: false });
    expect(checkHaCf('deadtime soon\n', t).problems[0].message).toBe('deadtime soon: not a time');
  });

  it('checkDrbdConf: braces that do not close, an include, a node\'s address that is not its own', () => {
    const text = 'include "/etc/drbd.d/*.res";\nresource r0 {\n on linux01 {\n  address 192.168.211.129:7788;\n }\n';
    expect(checkDrbdConf(text, t).map((p) => `${p.line ?? '-'} ${p.message}`)).toEqual([
      '1 include pulls in files the lab does not have',
      '4 on linux01: address 192.168.211.129 is not linux01\'s (192.168.211.128)',
      '- 1 { left open at the end of the file',
      '- no "on linux02" section',
    ]);
  });

  it('checkHaresources: one group, a line continued with a backslash counts once', () => {
    expect(checkHaresources('linux01 drbddisk::r0 \\\n Filesystem::/dev/drbd0::/data::ext3 IPaddr::192.168.211.120/24/eth1 mariadb\n', t)).toEqual([]);
    expect(checkHaresources('linux01 mariadb\nlinux02 nginx\n', t)[0]).toMatchObject({ line: 2, message: '2 resource groups: the procedure moves one group between the two nodes' });
  });

  it('checkAuthkeys: the method of the key in force, never its secret', () => {
    expect(checkAuthkeys('auth 2\n1 crc\n2 sha1 topsecret\n')).toEqual({ problems: [], method: 'sha1' });
    expect(checkAuthkeys('1 sha1 x\n').problems[0].message).toBe('no "auth <index>" line');
  });

  it('checkMariadbCnf: ini syntax, an option before any section, an !include', () => {
    expect(checkMariadbCnf('max_connections = 10\n[mysqld]\nthis is not ini\n!includedir /etc/x\n', t).map((p) => `${p.line} ${p.message}`)).toEqual([
      '1 max_connections stands before any [section]',
      '3 "this is not ini" is neither "[section]" nor "option = value"',
      '4 !includedir pulls in files the lab does not have',
    ]);
  });
});
