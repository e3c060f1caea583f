import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from './history.fixture.js';
import { describeBreakdown, haLogMilestones, haLogNote, haLogReadNote, haLogTime, nodesDeclaredDead, resourceStarts, rtoBreakdown } from './ha-log.js';

/** linux02 taking the group over after linux01 froze (kept cluster, 2026-11-27): heartbeat's two stamp formats. */
const TAKEOVER = readFileSync(join(import.meta.dirname, 'fixtures', 'ha-log-takeover-linux02.txt'), 'utf8');
const at = (hms: string) => Date.UTC(2026, 10, 27, ...hms.split(':').map(Number) as [number, number, number]);
/**
 * linux02 when heartbeat's packets were cut with DRBD connected (F5, 2026-12-03): its first
 * takeover failed at drbddisk (linux01 still Primary); after the heal heartbeat restarted itself
 * and a second takeover got the group. The milestone lines the history kept.
 */
const RETRIED = readFileSync(join(import.meta.dirname, 'fixtures', 'ha-log-retried-takeover-linux02.txt'), 'utf8');

describe('haLogTime', () => {
  it('reads syslog\'s stamp with the given year and the scripts\' stamp, both UTC; nothing from a line without one', () => {
    expect(haLogTime('Nov 27 19:08:51 linux02 heartbeat: [1110]: WARN: node linux01: is dead', 2026)).toBe(at('19:08:51'));
    expect(haLogTime('Jan  3 01:02:03 linux02 heartbeat: x', 2027)).toBe(Date.UTC(2027, 0, 3, 1, 2, 3));
    expect(haLogTime('2026/11/27_19:08:57  ResourceManager(default)[1323]:    info: Running /etc/ha.d//resource.d/drbddisk r0 start', 1999)).toBe(at('19:08:57'));
    expect(haLogTime('Foo 27 19:08:51 x', 2026)).toBeUndefined();
    expect(haLogTime('  info: continued', 2026)).toBeUndefined();
  });
});

describe('haLogMilestones', () => {
  it('finds the takeover\'s milestones in log order, and only those', () => {
    const found = haLogMilestones(TAKEOVER, 2026);
    expect(found.map((m) => [m.milestone, new Date(m.at).toISOString().slice(11, 19)])).toEqual([
      ['dead', '19:08:51'], ['promote', '19:08:57'], ['mount', '19:09:03'], ['vip', '19:09:14'], ['mariadb', '19:09:24'],
      ['acquired', '19:09:33'], ['dead', '19:09:34'], ['acquired', '19:09:35'], ['acquired', '19:09:35'],
    ]);
    expect(found[1].line).toBe('2026/11/27_19:08:57  ResourceManager(default)[1323]:    info: Running /etc/ha.d//resource.d/drbddisk r0 start');
  });

  it('ignores the stop of a resource and the status checks', () => {
    const stops = ['2026/11/27_19:09:47  ResourceManager(default)[1994]:    info: Running /etc/init.d/mariadb  stop',
      '2026/11/27_19:09:52  ResourceManager(default)[1994]:    info: Running /etc/ha.d/resource.d/IPaddr 192.168.211.120/24/eth1 stop',
      '2026/11/27_19:12:37  harc(default)[4234]:    info: Running /etc/ha.d//rc.d/status status'].join('\n');
    expect(haLogMilestones(stops, 2026)).toEqual([]);
  });
});

describe('nodesDeclaredDead', () => {
  it('names the cluster nodes heartbeat declared dead, once each, and not a ping node', () => {
    expect(nodesDeclaredDead(TAKEOVER, ['linux01', 'linux02'])).toEqual(['linux01']);
    const pingOnly = 'Nov 27 19:08:51 linux01 heartbeat: [1110]: WARN: node 192.168.211.1: is dead\nNov 27 19:08:52 linux01 ipfail: [1200]: info: Link Status update';
    expect(nodesDeclaredDead(pingOnly, ['linux01', 'linux02'])).toEqual([]);
    expect(nodesDeclaredDead('', ['linux01', 'linux02'])).toEqual([]);
  });
});

describe('rtoBreakdown', () => {
  const withLog = (faultAt: number) => {
    const b = build().fault('freeze', faultAt, at('19:09:40'));
    for (const m of haLogMilestones(TAKEOVER, 2026)) b.note(haLogNote('linux02', m), m.at);
    return b.history;
  };

  it('splits the RTO at heartbeat\'s milestones on the node that took over; the floor is deadtime plus the scripts', () => {
    const faultAt = at('19:08:44') + 500;
    const rto = (at('19:09:40') - faultAt) / 1000;
    const breakdown = rtoBreakdown(withLog(faultAt), rto, 5)!;
    expect(breakdown.node).toBe('linux02');
    expect(breakdown.segments).toEqual([
      { name: 'detect', seconds: 6.5 }, { name: 'decide', seconds: 6 }, { name: 'promote', seconds: 6 }, { name: 'mount', seconds: 11 },
      { name: 'VIP', seconds: 10 }, { name: 'MariaDB start', seconds: 9 }, { name: 'clients', seconds: 7 },
    ]);
    expect(breakdown.segments.reduce((sum, s) => sum + s.seconds!, 0)).toBeCloseTo(rto, 5);
    expect(breakdown.floorSeconds).toBe(5 + 6 + 11 + 10 + 9);
    expect(describeBreakdown(breakdown)).toBe('linux02: detect 7 s, decide 6 s, promote 6 s, mount 11 s, VIP 10 s, MariaDB start 9 s, clients 7 s (RTO 56 s, floor 41 s)');
  });

  it('with a STONITH device, the fence is a segment of its own between the peer declared dead and the takeover', () => {
    const faultAt = at('19:08:44') + 500;
    const rto = (at('19:09:40') - faultAt) / 1000;
    const fenced = 'Nov 27 19:08:55 linux02 heartbeat: [1330]: info: node linux01 now reset.';
    expect(haLogMilestones(fenced, 2026).map((m) => m.milestone)).toEqual(['fenced']);
    const history = withLog(faultAt);
    for (const m of haLogMilestones(fenced, 2026)) history.append({ kind: 'note', text: haLogNote('linux02', m), at: m.at });
    const breakdown = rtoBreakdown(history, rto, 5)!;
    expect(breakdown.segments.slice(0, 3)).toEqual([{ name: 'detect', seconds: 6.5 }, { name: 'fence', seconds: 4 }, { name: 'decide', seconds: 2 }]);
    expect(breakdown.segments.reduce((sum, s) => sum + s.seconds!, 0)).toBeCloseTo(rto, 5);
    expect(breakdown.floorSeconds).toBe(5 + 6 + 11 + 10 + 9);
  });

  it('leaves out milestones of before the fault, and has no floor when a step is missing from the log', () => {
    const faultAt = at('19:09:00');
    const breakdown = rtoBreakdown(withLog(faultAt), 40, 5)!;
    // The drbddisk start at 19:08:57 is before the fault: the first takeover after it has none.
    expect(breakdown).toBeUndefined();
    const h = build().fault('freeze', at('19:08:50'), at('19:09:40'));
    for (const m of haLogMilestones(TAKEOVER, 2026).filter((x) => x.milestone !== 'mount')) h.note(haLogNote('linux02', m), m.at);
    const partial = rtoBreakdown(h.history, 50, 5)!;
    expect(partial.floorSeconds).toBeUndefined();
    expect(partial.segments.find((s) => s.name === 'promote')?.seconds).toBeUndefined();
    expect(partial.segments.find((s) => s.name === 'mount')?.seconds).toBeUndefined();
  });

  it('takes a graceful handover without "is dead" before the takeover: detect unknown, decide from the fault', () => {
    const h = build().fault('stop-heartbeat', at('19:08:50'), at('19:09:50'));
    for (const m of haLogMilestones(TAKEOVER, 2026).filter((x) => !(x.milestone === 'dead' && x.at < at('19:09:00')))) h.note(haLogNote('linux02', m), m.at);
    const breakdown = rtoBreakdown(h.history, 50, 5)!;
    expect(breakdown.segments.slice(0, 3)).toEqual([{ name: 'detect', seconds: undefined }, { name: 'decide', seconds: 7 }, { name: 'promote', seconds: 6 }]);
    expect(breakdown.floorSeconds).toBe(41);
  });

  it('splits a takeover that failed at drbddisk from the attempt that got the group; the floor keeps the failed attempts', () => {
    const faultAt = Date.UTC(2026, 11, 3, 10, 1, 1, 114);
    const h = build().fault('cut-heartbeat', faultAt, Date.UTC(2026, 11, 3, 10, 1, 45));
    for (const m of haLogMilestones(RETRIED, 2026)) h.note(haLogNote('linux02', m), m.at);
    const breakdown = rtoBreakdown(h.history, 130.814, 10)!;
    expect(breakdown.segments).toEqual([
      { name: 'detect', seconds: 3.886 }, { name: 'decide', seconds: 3 }, { name: 'failed attempts', seconds: 103 }, { name: 'promote', seconds: 3 },
      { name: 'mount', seconds: 6 }, { name: 'VIP', seconds: 6 }, { name: 'MariaDB start', seconds: 6 }, { name: 'clients', seconds: 0 },
    ]);
    expect(breakdown.floorSeconds).toBe(10 + 103 + 3 + 6 + 6 + 6);
    expect(describeBreakdown(breakdown)).toBe('linux02: detect 4 s, decide 3 s, failed attempts 103 s, promote 3 s, mount 6 s, VIP 6 s, MariaDB start 6 s, clients 0 s (RTO 131 s, floor 134 s)');
  });

  it('keeps a drbddisk start that never got to a mount as the takeover\'s: its promote is unseen', () => {
    const h = build().fault('cut-heartbeat', Date.UTC(2026, 11, 3, 10, 1, 1), Date.UTC(2026, 11, 3, 10, 1, 45));
    for (const m of haLogMilestones(RETRIED, 2026).filter((x) => x.at < Date.UTC(2026, 11, 3, 10, 2, 0))) h.note(haLogNote('linux02', m), m.at);
    const breakdown = rtoBreakdown(h.history, 60, 10)!;
    expect(breakdown.segments.map((s) => s.name)).not.toContain('failed attempts');
    expect(breakdown.segments.slice(1, 3)).toEqual([{ name: 'decide', seconds: 3 }, { name: 'promote', seconds: undefined }]);
    expect(breakdown.floorSeconds).toBeUndefined();
  });

  it('is undefined without a fault, without an outage (RTO 0 or none), or without a takeover in the log', () => {
    expect(rtoBreakdown(build().history, 10, 5)).toBeUndefined();
    expect(rtoBreakdown(withLog(at('19:08:45')), 0, 5)).toBeUndefined();
    expect(rtoBreakdown(withLog(at('19:08:45')), undefined, 5)).toBeUndefined();
    expect(rtoBreakdown(build().fault('kill-mysqld', at('19:08:45')).history, 20, 5)).toBeUndefined();
  });
});

describe('haLogTime, line by line', () => {
  it('reads every month, and only a stamp that begins the line', () => {
    const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
    months.forEach((month, i) => expect(haLogTime(`${month} 15 12:00:00 linux01 heartbeat: x`, 2026)).toBe(Date.UTC(2026, i, 15, 12)));
    expect(haLogTime('info: Nov 27 19:08:51 linux02 heartbeat: x', 2026)).toBeUndefined();
    expect(haLogTime('info: 2026/11/27_19:08:57 x', 2026)).toBeUndefined();
  });
});

describe('haLogMilestones, line by line', () => {
  it('takes a script run whatever the slashes or trailing blanks, trimmed; never one without a stamp or with more after "start"', () => {
    const lines = [
      '2026/11/27_19:08:57  ResourceManager(default)[1]:    info: Running /etc/ha.d/resource.d//drbddisk r0 start  ',
      '2026/11/27_19:08:58  ResourceManager(default)[1]:    info: Running /etc/ha.d/resource.d//Filesystem /dev/drbd0 /data ext4 start\t',
      '2026/11/27_19:08:59  ResourceManager(default)[1]:    info: Running /etc/ha.d/resource.d//IPaddr 192.168.211.120/24/eth1 start ',
      '2026/11/27_19:09:00  ResourceManager(default)[1]:    info: Running /etc/init.d/mysql start ',
      '   info: Running /etc/ha.d/resource.d/IPaddr 192.168.211.120/24/eth1 start',
      '2026/11/27_19:09:01  ResourceManager(default)[1]:    info: Running /etc/ha.d/resource.d/drbddisk r0 startx',
      '2026/11/27_19:09:01  ResourceManager(default)[1]:    info: Running /etc/ha.d/resource.d/drbddisk r0 start-then-stop',
      '2026/11/27_19:09:01  ResourceManager(default)[1]:    info: Running /etc/ha.d/resource.d/Filesystem /dev/drbd0 /data ext4 start-then-stop',
      '2026/11/27_19:09:01  ResourceManager(default)[1]:    info: Running /etc/ha.d/resource.d/IPaddr 192.168.211.120 start-then-stop',
      '2026/11/27_19:09:01  ResourceManager(default)[1]:    info: Running /etc/init.d/mariadb start-then-stop',
      '2026/11/27_19:09:01  ResourceManager(default)[1]:    info: Running /etc/init.d/mariadb startx',
    ];
    const found = haLogMilestones(lines.join('\n'), 2026);
    expect(found.map((m) => m.milestone)).toEqual(['promote', 'mount', 'vip', 'mariadb']);
    expect(found[0].line).toBe(lines[0].trim());
  });
});

describe('resourceStarts', () => {
  const read = (node: string) => ({ ...haLogReadNote(node, 3), at: 0 });
  it('lists when heartbeat started a script of the group on that node, undefined when its log was not read', () => {
    const milestones = haLogMilestones(readFileSync(join(import.meta.dirname, 'fixtures', 'ha-log-takeover-linux02.txt'), 'utf8'), 2026);
    const b = build();
    for (const m of milestones) b.note(haLogNote('linux02', m), m.at);
    // linux01's own milestones, and an observation, are not linux02's starts.
    b.note(haLogNote('linux01', milestones[1]), at('19:00:00')).observe('linux02', at('19:00:01'), []);
    const h = b.history;
    expect(resourceStarts(h, 'linux02')).toBeUndefined();
    h.append({ kind: 'note', ...read('linux01') });
    expect(resourceStarts(h, 'linux02')).toBeUndefined();
    expect(resourceStarts(h, 'linux01')).toEqual([at('19:00:00')]);
    h.append({ kind: 'note', ...read('linux02') });
    expect(resourceStarts(h, 'linux02')).toEqual([at('19:08:57'), at('19:09:03'), at('19:09:14'), at('19:09:24')]);
    expect(haLogReadNote('linux02', 3).text).toBe('ha-log linux02 read: 3 lines since the scenario began');
  });
});

describe('rtoBreakdown, at its edges', () => {
  it('counts a milestone stamped in the second before the fault, and no earlier one', () => {
    const h = build().fault('freeze', at('19:08:57') + 900, at('19:09:40'));
    for (const m of haLogMilestones(TAKEOVER, 2026)) h.note(haLogNote('linux02', m), m.at);
    expect(rtoBreakdown(h.history, 30, 5)?.node).toBe('linux02');
    const late = build().fault('freeze', at('19:08:58') + 1, at('19:09:40'));
    for (const m of haLogMilestones(TAKEOVER, 2026)) late.note(haLogNote('linux02', m), m.at);
    expect(rtoBreakdown(late.history, 30, 5)).toBeUndefined();
  });

  it('reads the steps on the node that took over only; a dead or fence stamped with the takeover counts, one before the dead does not', () => {
    const h = build().fault('freeze', at('19:08:40'), at('19:09:40'));
    const mine = (text: string) => { for (const m of haLogMilestones(text, 2026)) h.note(haLogNote('linux02', m), m.at); };
    mine(TAKEOVER.split('\n').filter((l) => !l.includes('is dead')).join('\n'));
    mine('Nov 27 19:08:45 linux02 heartbeat: [1]: info: node linux01 now reset.');
    mine('Nov 27 19:08:57 linux02 heartbeat: [1]: WARN: node linux01: is dead');
    // linux01 logs its own (earlier) steps: they are not the takeover's.
    for (const m of haLogMilestones(TAKEOVER, 2026).filter((x) => x.milestone === 'mount')) h.note(haLogNote('linux01', { ...m, at: at('19:08:58') }), at('19:08:58'));
    const breakdown = rtoBreakdown(h.history, 60, 5)!;
    expect(breakdown.segments.slice(0, 4)).toEqual([{ name: 'detect', seconds: 17 }, { name: 'decide', seconds: 0 }, { name: 'promote', seconds: 6 }, { name: 'mount', seconds: 11 }]);
    mine('Nov 27 19:08:57 linux02 heartbeat: [1]: info: node linux01 now reset.');
    expect(rtoBreakdown(h.history, 60, 5)!.segments.slice(0, 3)).toEqual([{ name: 'detect', seconds: 17 }, { name: 'fence', seconds: 0 }, { name: 'decide', seconds: 0 }]);
  });

  it('takes the attempt that got the group by its mount: a drbddisk start in the mount\'s second is it, a later one or an earlier mount is not', () => {
    const faultAt = Date.UTC(2026, 11, 3, 10, 1, 1);
    const h = build().fault('cut-heartbeat', faultAt, Date.UTC(2026, 11, 3, 10, 1, 45));
    const line = (hms: string, what: string) => `2026/12/03_${hms}  ResourceManager(default)[1]:    info: Running /etc/ha.d//resource.d/${what} start`;
    const log = [
      // a mount stamped in the fault's second, before this node's first drbddisk start: not the takeover's
      line('10:01:00', 'Filesystem /dev/drbd0 /data ext3'),
      'Dec 03 10:01:05 linux02 heartbeat: [587]: WARN: node linux01: is dead',
      line('10:01:08', 'drbddisk r0'),
      line('10:02:54', 'drbddisk r0'), line('10:02:54', 'Filesystem /dev/drbd0 /data ext3'),
      line('10:03:00', 'IPaddr 192.168.211.120/24/eth1'),
      // a later takeover (the failback) starts drbddisk again: not this one's
      line('10:05:00', 'drbddisk r0'),
    ].join('\n');
    for (const m of haLogMilestones(log, 2026)) h.note(haLogNote('linux02', m), m.at);
    const breakdown = rtoBreakdown(h.history, 125, 10)!;
    expect(breakdown.segments.slice(1, 5)).toEqual([{ name: 'decide', seconds: 3 }, { name: 'failed attempts', seconds: 106 }, { name: 'promote', seconds: 0 }, { name: 'mount', seconds: 6 }]);
    // A mount in the first drbddisk start's second is that attempt's: none failed.
    const once = build().fault('cut-heartbeat', faultAt, Date.UTC(2026, 11, 3, 10, 1, 45));
    const first = [line('10:01:08', 'drbddisk r0'), line('10:01:08', 'Filesystem /dev/drbd0 /data ext3'), line('10:02:00', 'drbddisk r0'), line('10:02:01', 'Filesystem /dev/drbd0 /data ext3')];
    for (const m of haLogMilestones(first.join('\n'), 2026)) once.note(haLogNote('linux02', m), m.at);
    expect(rtoBreakdown(once.history, 125, 10)!.segments.map((s) => s.name)).not.toContain('failed attempts');
  });

  it('describes a breakdown with an unseen step and no floor', () => {
    expect(describeBreakdown({ node: 'linux02', rtoSeconds: 30.4, segments: [{ name: 'detect' }, { name: 'decide', seconds: 4.6 }] })).toBe('linux02: detect ?, decide 5 s (RTO 30 s)');
  });
});

