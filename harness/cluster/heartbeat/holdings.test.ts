import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeHoldings, findMysqldBash, holdsAll, holdsNone, OUT_OF_ORDER_BASH, parseSamplerLine, RESOURCES, samplerScript } from './holdings.js';
import { loadTopology } from '../../config/topology.js';

const all = { drbdPrimary: true, mounted: true, vip: true, mysqld: true, datadir: '/data/mysql' };
const none = { drbdPrimary: false, mounted: false, vip: false, mysqld: false };

describe('holdsAll / holdsNone', () => {
  it('needs every resource and MySQL on the DRBD datadir for all, no resource at all for none', () => {
    expect(holdsAll(all, '/data/mysql')).toBe(true);
    expect(holdsAll({ ...all, datadir: '/var/lib/mysql' }, '/data/mysql')).toBe(false);
    for (const r of ['drbdPrimary', 'mounted', 'vip', 'mysqld'] as const) {
      expect(holdsAll({ ...all, [r]: false }, '/data/mysql'), r).toBe(false);
      expect(holdsNone({ ...none, [r]: true }), r).toBe(false);
    }
    expect(holdsNone(none)).toBe(true);
  });

  it('describes what is held in haresources order', () => {
    expect(describeHoldings(all)).toBe('drbdPrimary+mounted+vip+mysqld (datadir /data/mysql)');
    expect(describeHoldings(none)).toBe('nothing');
    expect(describeHoldings('unknown')).toBe('unknown');
  });
});

describe('parseSamplerLine', () => {
  it('reads a state line: time, samples, the four flags, the datadir and DRBD\'s words', () => {
    expect(parseSamplerLine('S 1764240000123 3 1 1 1 1 /data/mysql cs:Connected ro:Primary/Secondary ds:UpToDate/UpToDate')).toEqual({
      kind: 'state', nodeMs: 1764240000123, samples: 3,
      state: { vip: true, drbdPrimary: true, mounted: true, mysqld: true, datadir: '/data/mysql', drbd: 'cs:Connected ro:Primary/Secondary ds:UpToDate/UpToDate' },
    });
    expect(parseSamplerLine('S 5 1 0 1 0 0 - cs:StandAlone ro:Primary/Unknown ds:UpToDate/DUnknown')?.state).toEqual({
      vip: false, drbdPrimary: true, mounted: false, mysqld: false, drbd: 'cs:StandAlone ro:Primary/Unknown ds:UpToDate/DUnknown',
    });
  });

  it('reads a tick, and ignores anything else', () => {
    expect(parseSamplerLine('T 1764240000500 5')).toEqual({ kind: 'tick', nodeMs: 1764240000500, samples: 5 });
    expect(parseSamplerLine('bash: warning')).toBeUndefined();
    expect(parseSamplerLine('S 5 1 2 0 0 0 - cs:x')).toBeUndefined();
    expect(parseSamplerLine('T 12')).toBeUndefined();
  });
});

describe('samplerScript', () => {
  it('looks at the topology\'s VIP on its interface, the DRBD device on the mount point, at the given pace', () => {
    const script = samplerScript(loadTopology(), 100, 30);
    expect(script).toContain('[[ $trie =~ --\\ 192\\.168\\.211\\.120[[:space:]]+/32\\ host\\ LOCAL ]]');
    expect(script).toContain('"/dev/drbd0 /data "');
    expect(script).toContain('rest=$((100000 - ${EPOCHREALTIME/./} + us))');
    expect(script).toContain('end=$((EPOCHSECONDS + 30))');
  });
});

describe('OUT_OF_ORDER_BASH (the sampler reads a round again when it is out of the group\'s order)', () => {
  it('is true exactly when a resource is held without every one before it, for all 16 combinations', () => {
    const combos = Array.from({ length: 16 }, (_, i) => ({ drbdPrimary: i & 1, mounted: (i >> 1) & 1, vip: (i >> 2) & 1, mysqld: (i >> 3) & 1 }));
    const script = `${OUT_OF_ORDER_BASH}\n${combos.map((c) => `p=${c.drbdPrimary} m=${c.mounted} v=${c.vip} y=${c.mysqld}; out_of_order && echo 1 || echo 0`).join('\n')}`;
    const bash = execFileSync('bash', ['-c', script], { encoding: 'utf8' }).trim().split('\n');
    const expected = combos.map((c) => RESOURCES.some((r, i) => c[r] && RESOURCES.slice(0, i).some((before) => !c[before])) ? '1' : '0');
    expect(bash).toEqual(expected);
    expect(expected.filter((x) => x === '1')).toHaveLength(11);
  });

  it('is read again at once in the sampler\'s round, before the state is reported', () => {
    const script = samplerScript(loadTopology(), 100, 30);
    expect(script).toContain(OUT_OF_ORDER_BASH);
    expect(script.indexOf('  look\n  out_of_order && look\n  s="$v $p $m $y $dir $w"')).toBeGreaterThan(script.indexOf('look() {'));
  });
});

describe('findMysqldBash (the sampler scans the process table only when it must)', () => {
  it('reads the known mysqld alone; scans when a process was created since the last scan or a second has passed', () => {
    const root = mkdtempSync(join(tmpdir(), 'halab-proc-'));
    try {
      mkdirSync(join(root, 'data', 'mysql'), { recursive: true });
      mkdirSync(join(root, 'data2'));
      const script = `${findMysqldBash(root)}
proc() { mkdir -p ${root}/$1; echo $2 > ${root}/$1/comm; ln -sfn ${root}/$3 ${root}/$1/cwd; }
created() { echo "0.00 0.01 0.05 1/99 $1" > ${root}/loadavg; }
round() { now=$1; find_mysqld; echo "$now y=$y dir=\${dir#${root}} pid=$mysqld_pid"; }
proc 1 systemd .; proc 7 sshd .; created 10
round 0
proc 8 mariadbd data/mysql
round 500
round 1000
proc 9 mariadbd data2
round 1100
echo sshd > ${root}/8/comm; proc 11 mariadbd data2; created 11
round 1200
rm -r ${root}/11 ${root}/9
round 1300
proc 12 mysqld data/mysql; created 12
round 1350`;
      const rounds = execFileSync('bash', ['-c', script], { encoding: 'utf8' }).trim().split('\n');
      expect(rounds).toEqual([
        '0 y=0 dir=- pid=',
        // pid 8 exec'd mariadbd without a new process since the scan at 0: seen at the next second.
        '500 y=0 dir=- pid=',
        '1000 y=1 dir=/data/mysql pid=8',
        // The known one is read alone: a second mariadbd is not looked for.
        '1100 y=1 dir=/data/mysql pid=8',
        // pid 8 is sshd now, and a process was created: a scan, which meets 11 before 9 (the glob's order).
        '1200 y=1 dir=/data2 pid=11',
        // Gone, nothing created since the scan at 1200 and under a second: no scan, nothing held.
        '1300 y=0 dir=- pid=',
        '1350 y=1 dir=/data/mysql pid=12',
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
