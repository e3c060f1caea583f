import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { MysqlFacts, NodeConfig } from '../../cluster/audit/deployed-config.js';
import { audit, configVerdicts, describeDeviations, renderAuditTable, requirementProperty, type AuditInput } from './requirements.js';
import { loadTopology } from '../../config/topology.js';

const show01 = readFileSync(new URL('./fixtures/drbdsetup-show-linux01.txt', import.meta.url), 'utf8');
const show02 = show01.replace('ipv4 192.168.211.129:7788', 'ipv4 X').replace('ipv4 192.168.211.128:7788', 'ipv4 192.168.211.129:7788').replace('ipv4 X', 'ipv4 192.168.211.128:7788');
const haresources = 'linux01 drbddisk::r0 Filesystem::/dev/drbd0::/data::ext3 IPaddr::192.168.211.120/24/eth1 mariadb\n';
const haCf = (peer: string) => `logfile /var/log/ha-log\nkeepalive 2\ndeadtime 5\nwarntime 10\ninitdead 10\nucast eth1 ${peer}\nauto_failback on\n` +
  'node linux01\nnode linux02\nping 192.168.211.2\nrespawn hacluster /usr/libexec/heartbeat/ipfail\napiauth ipfail gid=haclient uid=hacluster\ncrm off\n';

/** MariaDB's accounts as P3 leaves them (mariadb -N -B, tab-separated). */
const ACCOUNTS = [
  'user\tmariadb.sys\tlocalhost', 'user\tmysql\tlocalhost', 'user\troot\tlocalhost', 'user\twordpress\tlocalhost', 'user\twordpress\t192.168.211.%', 'user\thalab\t192.168.211.%',
  'db\twordpress\tlocalhost\tblog', 'db\twordpress\t192.168.211.%\tblog', 'db\thalab\t192.168.211.%\tblog',
  "global\t'wordpress'@'localhost'\tUSAGE", "global\t'wordpress'@'192.168.211.%'\tUSAGE", "global\t'halab'@'192.168.211.%'\tPROCESS", "global\t'root'@'localhost'\tSELECT",
].join('\n');
const guideHandlers = '    handlers {\n        fence-peer       "/usr/libexec/heartbeat/drbd-peer-outdater -t 5";\n    }';
const node = (name: string, peer: string, holds: boolean): NodeConfig => ({
  node: name, uname: name, drbdShow: name === 'linux01' ? show01 : show02, drbdHandlers: guideHandlers,
  procDrbd: `version: 8.4.11\n 0: cs:Connected ro:${holds ? 'Primary/Secondary' : 'Secondary/Primary'} ds:UpToDate/UpToDate C r-----\n`,
  haCf: haCf(peer), haresources, authkeysStat: 'root root 600', authkeysMethod: '1 sha1',
  outdaterBinaries: ['root haclient 4754 /usr/sbin/drbdsetup', 'root haclient 4754 /usr/sbin/drbdmeta', 'root haclient 4754 /lib/drbd/drbdsetup-84'],
  dataMount: holds ? '/dev/drbd0 /data ext3 rw,relatime 0 0' : '',
  units: { 'mariadb.service': 'disabled', 'mariadb.socket': 'masked', 'heartbeat.service': 'disabled', 'drbd.service': 'disabled' },
  secretFiles: { '/etc/ha.d/authkeys': 'root root 600', '/etc/ha.d/halab-power-switch.token': 'none', '/etc/mysql/debian.cnf': 'root root 600', '/etc/wordpress/config-default.php': 'root www-data 640' },
  ...(holds && { mysqlAccounts: ACCOUNTS }),
  heartbeatRuntime: `hbstatus 0\nnode 192.168.211.2 ping\nnode ${peer === '192.168.211.129' ? 'linux02' : 'linux01'} active\nnode ${name} active\nlink eth1 up\nrsc local`,
});
const mysql = (): MysqlFacts => ({
  variables: { datadir: '/data/mysql/', innodb_flush_log_at_trx_commit: '1', sync_binlog: '1', log_bin: 'OFF', innodb_doublewrite: 'ON', default_storage_engine: 'InnoDB' },
  engines: { wp_posts: 'InnoDB', wp_comments: 'InnoDB' },
});
const input = (): AuditInput => ({
  nodes: [node('linux01', '192.168.211.129', true), node('linux02', '192.168.211.128', false)],
  addresses: { linux01: '192.168.211.128', linux02: '192.168.211.129' }, labInterface: 'eth1', drbdMinor: 0, holder: 'linux01', mysql: mysql(),
});
const deviations = (i: AuditInput) => describeDeviations(audit(i));

describe('V0 requirements audit', () => {
  it('passes the configuration the procedure deploys, with the profile\'s deliberate deviations named', () => {
    const rows = audit(input());
    expect(describeDeviations(rows)).toEqual([]);
    expect(rows.find((r) => r.id === 'HB-AUTHKEYS-METHOD' && r.node === 'linux01')).toMatchObject({ expected: '1 crc', profile: { value: '1 sha1' }, found: '1 sha1', ok: true });
    expect(rows.filter((r) => r.id === 'DATA-MOUNT').map((r) => r.node)).toEqual(['linux01']);
    expect(rows.filter((r) => r.id === 'SQL-DATADIR').map((r) => r.node)).toEqual(['VIP']);
  });

  it('external-md\'s metadata LV is its deliberate deviation, and only that variant\'s', () => {
    const external = (i: AuditInput) => { for (const n of i.nodes) n.drbdShow = n.drbdShow.replace(/meta-disk(\s+)internal;/, 'meta-disk$1"/dev/VG/drbd-md" [ 0 ];'); return i; };
    const rows = audit({ ...external(input()), variant: 'external-md' });
    expect(describeDeviations(rows)).toEqual([]);
    expect(rows.find((r) => r.id === 'DRBD-META-DISK' && r.node === 'linux01')).toMatchObject({ expected: 'internal', profile: { value: '/dev/VG/drbd-md [ 0 ]' }, ok: true });
    expect(deviations(external(input())).map((d) => d.split(' (')[0])).toEqual(['DEVIATES DRBD-META-DISK on linux01', 'DEVIATES DRBD-META-DISK on linux02']);
    expect(deviations({ ...input(), variant: 'external-md' }).map((d) => d.split(' (')[0])).toEqual(['DEVIATES DRBD-META-DISK on linux01', 'DEVIATES DRBD-META-DISK on linux02']);
    expect(audit({ ...input(), variant: 'shrink-fs' }).find((r) => r.id === 'DRBD-META-DISK')).not.toHaveProperty('profile');
  });

  it.each([
    ['protocol A', (i: AuditInput) => { i.nodes[0].drbdShow = show01.replace(/protocol(\s+)C;/, 'protocol$1A;'); i.nodes[0].procDrbd = i.nodes[0].procDrbd.replace(' C r', ' A r'); },
      ['DEVIATES DRBD-PROTOCOL on linux01', 'DEVIATES DRBD-PROTOCOL-LIVE on linux01']],
    ['deadtime 60', (i: AuditInput) => { i.nodes[1].haCf = i.nodes[1].haCf.replace('deadtime 5', 'deadtime 60'); },
      ['DEVIATES HB-DEADTIME on linux02', 'DEVIATES HB-KEEPALIVE-BELOW-WARNTIME on linux02', 'DEVIATES HB-INITDEAD-TWICE-DEADTIME on linux02', 'DEVIATES HB-DEADTIME-OVER-DRBD-PING on linux02']],
    ['auto_failback off', (i: AuditInput) => { i.nodes[0].haCf = i.nodes[0].haCf.replace('auto_failback on', 'auto_failback off'); }, ['DEVIATES HB-AUTO-FAILBACK on linux01']],
    ['authkeys 644', (i: AuditInput) => { i.nodes[0].authkeysStat = 'root root 644'; }, ['DEVIATES HB-AUTHKEYS-MODE on linux01']],
    ['haresources differ', (i: AuditInput) => { i.nodes[1].haresources = haresources.replace('mariadb', 'mysql'); }, ['DEVIATES HB-HARESOURCES on linux02', 'DEVIATES HB-HARESOURCES-SAME on all']],
    ['ucast to itself', (i: AuditInput) => { i.nodes[0].haCf = haCf('192.168.211.128'); }, ['DEVIATES HB-UCAST on linux01']],
    ['drbdmeta not setuid', (i: AuditInput) => { i.nodes[0].outdaterBinaries[1] = 'root root 755 /usr/sbin/drbdmeta'; }, ['DEVIATES HB-OUTDATER-DRBDMETA on linux01']],
    ['drbdsetup missing', (i: AuditInput) => { i.nodes[1].outdaterBinaries[0] = 'missing /usr/sbin/drbdsetup'; }, ['DEVIATES HB-OUTDATER-DRBDSETUP on linux02']],
    ['flushes off', (i: AuditInput) => { i.nodes[0].drbdShow = show01.replace(/disk-flushes(\s+)yes/, 'disk-flushes$1no'); }, ['DEVIATES DRBD-DISK-FLUSHES on linux01']],
    ['resync rate', (i: AuditInput) => { i.nodes[0].drbdShow = show01.replace('10240k', '1024k'); }, ['DEVIATES DRBD-RESYNC-RATE on linux01']],
    ['nobarrier', (i: AuditInput) => { i.nodes[0].dataMount = '/dev/drbd0 /data ext3 rw,nobarrier 0 0'; }, ['DEVIATES DATA-MOUNT-BARRIERS on linux01']],
    ['wrong fs', (i: AuditInput) => { i.nodes[0].dataMount = '/dev/VG/data /data ext4 rw 0 0'; }, ['DEVIATES DATA-MOUNT on linux01']],
    ['mariadb enabled', (i: AuditInput) => { i.nodes[1].units['mariadb.service'] = 'enabled'; }, ['DEVIATES DATA-MARIADB-UNIT on linux02']],
    ['flush at commit 2', (i: AuditInput) => { i.mysql!.variables.innodb_flush_log_at_trx_commit = '2'; }, ['DEVIATES SQL-FLUSH-AT-COMMIT on VIP']],
    ['binlog without sync', (i: AuditInput) => { i.mysql!.variables.log_bin = 'ON'; i.mysql!.variables.sync_binlog = '0'; }, ['DEVIATES SQL-SYNC-BINLOG on VIP']],
    ['a MyISAM table', (i: AuditInput) => { i.mysql!.engines.wp_posts = 'MyISAM'; }, ['DEVIATES SQL-ENGINES on VIP']],
    ['datadir elsewhere', (i: AuditInput) => { i.mysql!.variables.datadir = '/var/lib/mysql/'; }, ['DEVIATES SQL-DATADIR on VIP']],
    ['heartbeat not running', (i: AuditInput) => { i.nodes[1].heartbeatRuntime = 'hbstatus 1\nrsc '; }, ['DEVIATES HB-RUNTIME-RUNNING on linux02', 'DEVIATES HB-RUNTIME-PEER on linux02', 'DEVIATES HB-RUNTIME-PING on linux02', 'DEVIATES HB-RUNTIME-LINKS on linux02']],
    ['the peer dead, its path down', (i: AuditInput) => { i.nodes[0].heartbeatRuntime = i.nodes[0].heartbeatRuntime!.replace('linux02 active', 'linux02 dead').replace('eth1 up', 'eth1 dead'); }, ['DEVIATES HB-RUNTIME-PEER on linux01', 'DEVIATES HB-RUNTIME-LINKS on linux01']],
    ['the ping node lost', (i: AuditInput) => { i.nodes[1].heartbeatRuntime = i.nodes[1].heartbeatRuntime!.replace('192.168.211.2 ping', '192.168.211.2 dead'); }, ['DEVIATES HB-RUNTIME-PING on linux02']],
    ['the standby says it holds the holder\'s group', (i: AuditInput) => { i.nodes[1].heartbeatRuntime = i.nodes[1].heartbeatRuntime!.replace('rsc local', 'rsc foreign'); }, ['DEVIATES HB-RUNTIME-RESOURCES on linux02']],
    ['the holder says it holds nothing', (i: AuditInput) => { i.nodes[0].heartbeatRuntime = i.nodes[0].heartbeatRuntime!.replace('rsc local', 'rsc none'); }, ['DEVIATES HB-RUNTIME-RESOURCES on linux01']],
    ['DRBD disconnected', (i: AuditInput) => { i.nodes[1].procDrbd = i.nodes[1].procDrbd.replace('cs:Connected', 'cs:WFConnection').replace('ds:UpToDate/UpToDate', 'ds:UpToDate/DUnknown'); }, ['DEVIATES DRBD-RUNTIME on linux02']],
    ['an anonymous account', (i: AuditInput) => { i.nodes[0].mysqlAccounts += '\nuser\t\tlocalhost'; }, ['DEVIATES SQL-ANONYMOUS on linux01']],
    ['root from anywhere', (i: AuditInput) => { i.nodes[0].mysqlAccounts += "\nuser\troot\t%"; }, ['DEVIATES SQL-ROOT-REMOTE on linux01']],
    ['WordPress from anywhere, with every database', (i: AuditInput) => { i.nodes[0].mysqlAccounts += "\nuser\twordpress\t%\ndb\twordpress\t%\tmysql\nglobal\t'wordpress'@'%'\tFILE"; },
      ['DEVIATES SQL-WORDPRESS-HOSTS on linux01', 'DEVIATES SQL-WORDPRESS-PRIVILEGES on linux01']],
    ['WordPress config world-readable', (i: AuditInput) => { i.nodes[1].secretFiles['/etc/wordpress/config-default.php'] = 'root root 644'; }, ['DEVIATES WP-CONFIG-MODE on linux02']],
    ['a token file in the guide', (i: AuditInput) => { i.nodes[0].secretFiles['/etc/ha.d/halab-power-switch.token'] = 'root root 600'; }, ['DEVIATES HB-STONITH-TOKEN-MODE on linux01']],
    ['uname differs', (i: AuditInput) => { i.nodes[1].uname = 'localhost'; }, ['DEVIATES HB-UNAME on linux02']],
  ])('names the deviation: %s', (_, plant, ids) => {
    const i = input();
    plant(i);
    expect(deviations(i).map((d) => d.split(' (')[0])).toEqual(ids);
  });

  describe('the hardened profile', () => {
    const hardening = loadTopology(undefined, 'hardened').profile.hardening!;
    /** What the hardened profile's P7, H1 and HD2 deploy, as read back from the nodes. */
    const hardenedNodes = (): AuditInput => {
      const i = input();
      for (const n of i.nodes) {
        n.drbdShow = n.drbdShow.replace(/192\.168\.211\.(128|129):7788/g, '192.168.212.$1:7788').replace(/fencing(\s+)dont-care; # default/, 'fencing$1resource-and-stonith;');
        const peer = n.node === 'linux01' ? '129' : '128';
        n.haCf = n.haCf.replace(/(ucast eth1 \S+\n)/, `$1ucast eth2 192.168.212.${peer}\n`)
          .replace('crm off', 'respawn hacluster /usr/libexec/heartbeat/dopd\napiauth dopd gid=haclient uid=hacluster\n' +
            'stonith_host * external/halab-power-switch linux01,linux02 http://192.168.121.1:1229 s3cr3ttoken0123456789\ncrm off');
        n.haCf = n.haCf.replace('deadtime 5\nwarntime 10\ninitdead 10', 'deadtime 15\nwarntime 6\ninitdead 30');
        // drbdadm dump quotes a handler only when it has spaces.
        n.drbdHandlers = guideHandlers.replace('"/usr/libexec/heartbeat/drbd-peer-outdater -t 5"', '/usr/local/sbin/halab-fence-peer')
          .replace('    }', '        split-brain      "/usr/lib/drbd/notify-split-brain.sh root";\n    }');
        n.units['drbd.service'] = 'enabled';
        n.units['heartbeat.service'] = 'enabled';
        n.heartbeatRuntime = `${n.heartbeatRuntime}\nlink eth2 up`;
        n.haCf = n.haCf.replace(/ s3cr3ttoken0123456789\n/, ' /etc/ha.d/halab-power-switch.token\n');
        n.secretFiles['/etc/ha.d/halab-power-switch.token'] = 'root root 600';
      }
      return i;
    };

    it('passes what it deploys, each hardening named with the guide\'s value beside it', () => {
      const rows = audit({ ...hardenedNodes(), hardening });
      expect(describeDeviations(rows)).toEqual([]);
      expect(rows.find((r) => r.id === 'DRBD-FENCING' && r.node === 'linux01')).toMatchObject({ expected: 'dont-care', profile: { value: 'resource-and-stonith' }, ok: true });
      // The device is named; the token after it is not (the audit table is in the report).
      expect(rows.find((r) => r.id === 'HB-STONITH' && r.node === 'linux02')).toMatchObject({ expected: 'none', found: '* external/halab-power-switch', ok: true });
      expect(JSON.stringify(rows)).not.toContain('s3cr3ttoken');
      expect(rows.find((r) => r.id === 'HB-UCAST' && r.node === 'linux02')).toMatchObject({ found: 'eth1 192.168.211.128 eth2 192.168.212.128', ok: true });
      expect(rows.find((r) => r.id === 'DRBD-PEER' && r.node === 'linux01')).toMatchObject({ expected: 'ipv4 192.168.211.129:7788', profile: { value: 'ipv4 192.168.212.129:7788' }, ok: true });
    });

    it('none of it passes in the guide\'s profile: every hardening is a deviation there', () => {
      expect(deviations(hardenedNodes()).map((d) => d.split(' (')[0]).filter((d) => d.endsWith('linux01'))).toEqual([
        'DEVIATES DRBD-FENCING on linux01', 'DEVIATES DRBD-FENCE-PEER-HANDLER on linux01', 'DEVIATES DRBD-SPLIT-BRAIN-HANDLER on linux01', 'DEVIATES DRBD-ADDRESS on linux01', 'DEVIATES DRBD-PEER on linux01',
        'DEVIATES HB-DEADTIME on linux01', 'DEVIATES HB-WARNTIME on linux01', 'DEVIATES HB-INITDEAD on linux01',
        'DEVIATES HB-KEEPALIVE-BELOW-WARNTIME on linux01', 'DEVIATES HB-DEADTIME-OVER-DRBD-PING on linux01', 'DEVIATES HB-UCAST on linux01', 'DEVIATES HB-DOPD on linux01', 'DEVIATES HB-DOPD-APIAUTH on linux01', 'DEVIATES HB-STONITH on linux01', 'DEVIATES HB-RUNTIME-LINKS on linux01', 'DEVIATES HB-STONITH-TOKEN-MODE on linux01', 'DEVIATES HB-STONITH-TOKEN-REF on linux01', 'DEVIATES BOOT-DRBD on linux01', 'DEVIATES BOOT-HEARTBEAT on linux01',
      ]);
    });

    it('holds the hardened profile to its values as written in requirements.ts, not as the profile file says', () => {
      const i = hardenedNodes();
      for (const node of i.nodes) node.drbdShow = node.drbdShow.replace(/fencing(\s+)resource-and-stonith;/, 'fencing$1resource-only;');
      const weakened = { ...hardening, drbd: { ...hardening.drbd, fencing: 'resource-only' } } as typeof hardening;
      expect(deviations({ ...i, hardening: weakened }).map((d) => d.split(' (')[0])).toEqual(['DEVIATES DRBD-FENCING on linux01', 'DEVIATES DRBD-FENCING on linux02']);
    });

    it.each([
      ['no dopd', (i: AuditInput) => { i.nodes[0].haCf = i.nodes[0].haCf.replace('respawn hacluster /usr/libexec/heartbeat/dopd\n', ''); }, ['DEVIATES HB-DOPD on linux01']],
      ['fencing left at the default', (i: AuditInput) => { i.nodes[1].drbdShow = i.nodes[1].drbdShow.replace(/fencing(\s+)resource-and-stonith;/, 'fencing$1dont-care; # default'); }, ['DEVIATES DRBD-FENCING on linux02']],
      ['fencing without freezing I/O', (i: AuditInput) => { i.nodes[1].drbdShow = i.nodes[1].drbdShow.replace(/fencing(\s+)resource-and-stonith;/, 'fencing$1resource-only;'); }, ['DEVIATES DRBD-FENCING on linux02']],
      ['no STONITH device', (i: AuditInput) => { i.nodes[0].haCf = i.nodes[0].haCf.replace(/stonith_host .*\n/, ''); }, ['DEVIATES HB-STONITH on linux01', 'DEVIATES HB-STONITH-TOKEN-REF on linux01']],
      ['replication back on the lab network', (i: AuditInput) => { i.nodes[0].drbdShow = show01; i.nodes[0].drbdShow = i.nodes[0].drbdShow.replace(/fencing(\s+)dont-care; # default/, 'fencing$1resource-and-stonith;'); },
        ['DEVIATES DRBD-ADDRESS on linux01', 'DEVIATES DRBD-PEER on linux01']],
      ['heartbeat not started at boot', (i: AuditInput) => { i.nodes[1].units['heartbeat.service'] = 'disabled'; }, ['DEVIATES BOOT-HEARTBEAT on linux02']],
      ['the token readable by all', (i: AuditInput) => { i.nodes[1].secretFiles['/etc/ha.d/halab-power-switch.token'] = 'root root 644'; }, ['DEVIATES HB-STONITH-TOKEN-MODE on linux02']],
      ['the token in ha.cf again', (i: AuditInput) => { i.nodes[0].haCf = i.nodes[0].haCf.replace('/etc/ha.d/halab-power-switch.token', 's3cr3ttoken0123456789'); }, ['DEVIATES HB-STONITH-TOKEN-REF on linux01']],
      ['one heartbeat path', (i: AuditInput) => { i.nodes[0].haCf = i.nodes[0].haCf.replace(/ucast eth2 .*\n/, ''); i.nodes[0].heartbeatRuntime = i.nodes[0].heartbeatRuntime!.replace('\nlink eth2 up', ''); },
        ['DEVIATES HB-UCAST on linux01', 'DEVIATES HB-RUNTIME-LINKS on linux01']],
      ['no split-brain handler', (i: AuditInput) => { i.nodes[0].drbdHandlers = i.nodes[0].drbdHandlers!.replace(/\s*split-brain .*;/, ''); }, ['DEVIATES DRBD-SPLIT-BRAIN-HANDLER on linux01']],
      ['the outdater as the guide calls it', (i: AuditInput) => { i.nodes[1].drbdHandlers = i.nodes[1].drbdHandlers!.replace('/usr/local/sbin/halab-fence-peer', '"/usr/libexec/heartbeat/drbd-peer-outdater -t 5"'); }, ['DEVIATES DRBD-FENCE-PEER-HANDLER on linux02']],
      ['the guide\'s heartbeat timing', (i: AuditInput) => { i.nodes[0].haCf = i.nodes[0].haCf.replace('deadtime 15', 'deadtime 5'); },
        ['DEVIATES HB-DEADTIME on linux01', 'DEVIATES HB-KEEPALIVE-BELOW-WARNTIME on linux01', 'DEVIATES HB-DEADTIME-OVER-DRBD-PING on linux01']],
    ])('names the missing hardening: %s', (_, plant, ids) => {
      const i = hardenedNodes();
      plant(i);
      expect(deviations({ ...i, hardening }).map((d) => d.split(' (')[0])).toEqual(ids);
    });
  });

  it('says UNKNOWN, not ok, for what it could not read', () => {
    const i = { ...input(), mysql: undefined };
    i.nodes[0].authkeysStat = '';
    const unknown = deviations(i);
    expect(unknown).toContain('UNKNOWN HB-AUTHKEYS-MODE on linux01 (H2 (mode 600); heartbeat refuses other modes): authkeys owner, group, mode: expected "root root 600", found "could not be read"');
    expect(unknown.filter((d) => d.startsWith('UNKNOWN SQL-')).length).toBe(5);
  });

  it('accepts a binary log that is off whatever sync_binlog says, and the guide\'s own values where the profile differs', () => {
    const i = input();
    i.mysql!.variables.sync_binlog = '0';
    i.nodes[0].authkeysMethod = '1 crc';
    expect(deviations(i)).toEqual(['DEVIATES HB-AUTHKEYS-METHOD on linux01 (H2 (auth 1 / 1 crc)): authkeys method: expected "1 sha1", found "1 crc"']);
  });

  it('renders every row with its mark, source and values', () => {
    const i = input();
    i.nodes[1].haCf = i.nodes[1].haCf.replace('deadtime 5', 'deadtime 60');
    const table = renderAuditTable(audit(i)).split('\n');
    expect(table[0]).toBe('| | id | node | requirement | source | the guide | this profile | found |');
    expect(table).toContain('| DEVIATES | HB-DEADTIME | linux02 | ha.cf deadtime | H1 | `5` |  | `60` |');
    expect(table).toContain('| ok | DRBD-PROTOCOL | linux01 | replication protocol (runtime configuration) | P7; DRBD 8.4 user guide §2.3 "Replication modes" | `C` |  | `C` |');
  });
});

describe('an operator\'s ha.cf read against the guide', () => {
  it('one file for both nodes: the ucast to the node\'s own address is ignored, as heartbeat ignores it', () => {
    const i = input();
    for (const n of i.nodes) n.haCf = n.haCf.replace(/ucast eth1 \S+/, 'ucast eth1 192.168.211.128\nucast eth1 192.168.211.129');
    expect(deviations(i)).toEqual([]);
  });

  it('a missing ping node deviates (found "none"), it is not UNKNOWN', () => {
    const i = input();
    i.nodes[0].haCf = i.nodes[0].haCf.replace('ping 192.168.211.2\n', '');
    expect(audit(i).find((r) => r.id === 'HB-PING' && r.node === 'linux01')).toMatchObject({ ok: false, found: 'none' });
  });

  it('a file that could not be read is UNKNOWN', () => {
    const i = input();
    i.nodes[1].haCf = '';
    expect(audit(i).find((r) => r.id === 'HB-PING' && r.node === 'linux02')).toMatchObject({ ok: 'unknown' });
  });
});

describe('configVerdicts: V0\'s rows as the sign-off\'s three properties', () => {
  it('the procedure\'s configuration: SAFE everywhere, no finding', () => {
    expect(configVerdicts(audit(input())).map((v) => `${v.property} ${v.verdict} ${v.findings.length}`)).toEqual(['data safety SAFE 0', 'exclusive ownership SAFE 0', 'availability SAFE 0']);
  });

  it('each deviating requirement is one finding CONFIG-<id> of its property, its nodes together, UNSAFE', () => {
    const i = input();
    for (const n of i.nodes) {
      n.drbdShow = n.drbdShow.replace(/after-sb-1pri(\s+)disconnect/, 'after-sb-1pri$1discard-secondary');
      n.haCf = n.haCf.replace('ping 192.168.211.2\n', '');
    }
    const verdicts = configVerdicts(audit(i));
    expect(verdicts.map((v) => `${v.property} ${v.verdict} ${v.findings.map((f) => f.id).join(' ')}`)).toEqual([
      'data safety UNSAFE CONFIG-DRBD-AFTER-SB-1PRI', 'exclusive ownership SAFE ', 'availability UNSAFE CONFIG-HB-PING',
    ]);
    expect(verdicts[0].findings[0].message).toBe('deviates on linux01, linux02: net after-sb-1pri: the guide\'s "disconnect", found "discard-secondary" (P7)');
  });

  it('a row that could not be read makes its property UNKNOWN, never SAFE', () => {
    const i = input();
    i.mysql = undefined;
    const dataSafety = configVerdicts(audit(i))[0];
    expect(dataSafety.verdict).toBe('UNKNOWN');
    expect(dataSafety.findings.map((f) => f.id)).toContain('CONFIG-SQL-FLUSH-AT-COMMIT');
    expect(dataSafety.findings[0].message).toMatch(/^could not be read on VIP/);
  });

  it.each([['DRBD-FENCING', 'exclusive ownership'], ['HB-STONITH-TOKEN-MODE', 'exclusive ownership'], ['DRBD-AFTER-SB-0PRI', 'data safety'], ['SQL-FLUSH-AT-COMMIT', 'data safety'], ['HB-DEADTIME', 'availability'], ['SQL-ANONYMOUS', 'availability']])('%s speaks for %s', (id, property) => {
    expect(requirementProperty(id)).toBe(property);
  });
});
