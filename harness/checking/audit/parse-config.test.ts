import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { drbdValue, parseDrbdShow, parseHaCf, procDrbdProtocol, rateKiB } from './parse-config.js';

const show = readFileSync(new URL('./fixtures/drbdsetup-show-linux01.txt', import.meta.url), 'utf8');

describe('parseDrbdShow (drbdsetup show --show-defaults, DRBD 8.4)', () => {
  it('flattens every value under its sections, comments and quotes dropped', () => {
    const values = parseDrbdShow(show);
    expect(values.get('resource r0.net.protocol')).toBe('C');
    expect(values.get('resource r0._this_host.address')).toBe('ipv4 192.168.211.128:7788');
    expect(values.get('resource r0._remote_host.address')).toBe('ipv4 192.168.211.129:7788');
    expect(values.get('resource r0._this_host.volume 0.disk')).toBe('/dev/VG/data');
    expect(values.get('resource r0._this_host.volume 0.disk.on-io-error')).toBe('detach');
    expect(values.get('resource r0.options.cpu-mask')).toBe('');
  });

  it('finds a key by its last part, under a section when asked', () => {
    const values = parseDrbdShow(show);
    expect(drbdValue(values, 'resync-rate')).toBe('10240k');
    expect(drbdValue(values, 'address', '_remote_host')).toBe('ipv4 192.168.211.129:7788');
    expect(drbdValue(values, 'address', '_this_host')).toBe('ipv4 192.168.211.128:7788');
    expect(drbdValue(values, 'no-such-key')).toBeUndefined();
    expect(drbdValue(values, 'col')).toBeUndefined();
  });
});

describe('parseHaCf', () => {
  it('collects each directive\'s values; node names one by one; comments ignored', () => {
    const cf = parseHaCf('# comment\nkeepalive 2\nnode linux01\nnode linux02 linux03\nucast eth1 192.168.211.129 # peer\n\nauto_failback on\n');
    expect(cf.get('keepalive')).toEqual(['2']);
    expect(cf.get('node')).toEqual(['linux01', 'linux02', 'linux03']);
    expect(cf.get('ucast')).toEqual(['eth1 192.168.211.129']);
    expect(cf.get('auto_failback')).toEqual(['on']);
    expect(cf.has('comment')).toBe(false);
  });
});

describe('rateKiB', () => {
  it('reads DRBD rates in KiB/s', () => {
    expect([rateKiB('10M'), rateKiB('10240k'), rateKiB('10240'), rateKiB('1G'), rateKiB('x'), rateKiB(undefined)]).toEqual([10240, 10240, 10240, 1048576, undefined, undefined]);
  });
});

describe('procDrbdProtocol', () => {
  it('reads the protocol letter of the minor asked', () => {
    const text = 'version: 8.4.11\n 0: cs:Connected ro:Primary/Secondary ds:UpToDate/UpToDate C r-----\n    ns:1 nr:0\n 1: cs:Connected ro:Secondary/Secondary ds:UpToDate/UpToDate A r-----\n';
    expect(procDrbdProtocol(text, 0)).toBe('C');
    expect(procDrbdProtocol(text, 1)).toBe('A');
    expect(procDrbdProtocol(text, 2)).toBeUndefined();
    expect(procDrbdProtocol(' 0: cs:Unconfigured\n', 0)).toBeUndefined();
  });
});
