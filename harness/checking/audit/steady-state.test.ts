import { describe, expect, it } from 'vitest';
import { loadTopology } from '../../config/topology.js';
import type { Holdings } from '../../cluster/heartbeat/holdings.js';
import { interfaceOnNetworkOf, steadyStateChecks } from './steady-state.js';

const t = loadTopology();
const all: Holdings = { drbdPrimary: true, mounted: true, vip: true, mysqld: true, datadir: '/data/mysql', drbd: 'cs:Connected ro:Primary/Secondary ds:UpToDate/UpToDate' };
const none: Holdings = { drbdPrimary: false, mounted: false, vip: false, mysqld: false, drbd: 'cs:Connected ro:Secondary/Primary ds:UpToDate/UpToDate' };
const verdicts = (h: Record<string, Holdings | 'unknown'>) => steadyStateChecks(t, h).map((c) => `${c.checker}: ${c.valid} ${c.findings.map((f) => `${f.id} ${f.message}`).join('; ')}`.trim());

describe('steadyStateChecks: V1 and V4 from what the nodes hold', () => {
  it('one node serves, the other holds nothing, DRBD in sync: both SAFE', () => {
    expect(verdicts({ linux01: all, linux02: none })).toEqual(['availability: V1, one node serves: true', 'DRBD in sync (V4): true']);
  });

  it('the peer holds a part of the group: V1 UNSAFE, naming it', () => {
    expect(verdicts({ linux01: all, linux02: { ...none, vip: true } })[0]).toBe('availability: V1, one node serves: false V1-NOT-SERVING linux01 serves, but linux02 holds vip: linux01: drbdPrimary+mounted+vip+mysqld (datadir /data/mysql); linux02: vip');
  });

  it('nobody serves, or MySQL runs off the DRBD datadir: V1 UNSAFE', () => {
    expect(verdicts({ linux01: none, linux02: none })[0]).toMatch(/false V1-NOT-SERVING 0 nodes hold the whole group/);
    expect(verdicts({ linux01: { ...all, datadir: '/var/lib/mysql' }, linux02: none })[0]).toMatch(/false V1-NOT-SERVING 0 nodes hold/);
  });

  it('DRBD out of sync on one node: V4 UNSAFE with its words', () => {
    expect(verdicts({ linux01: { ...all, drbd: 'cs:StandAlone ro:Primary/Unknown ds:UpToDate/DUnknown' }, linux02: none })[1]).toBe('DRBD in sync (V4): false V4-NOT-IN-SYNC linux01: cs:StandAlone ro:Primary/Unknown ds:UpToDate/DUnknown');
  });

  it('a node that could not be read: both UNKNOWN, never SAFE', () => {
    expect(verdicts({ linux01: all, linux02: 'unknown' })).toEqual([
      'availability: V1, one node serves: unknown V1-UNSEEN could not read what linux02 holds',
      "DRBD in sync (V4): unknown V4-UNSEEN could not read DRBD's state on linux02",
    ]);
  });
});

describe('interfaceOnNetworkOf: where the witness listens', () => {
  const ip = '1: lo    inet 127.0.0.1/8 scope host lo\n3: virbr1    inet 192.168.211.2/24 brd 192.168.211.255 scope global virbr1\n4: eth0    inet 10.0.0.5/16 scope global eth0';
  it.each([['192.168.211.120', 'virbr1'], ['10.0.3.4', 'eth0'], ['172.16.0.1', undefined], ['192.168.211.2', undefined], ['192.169.0.1', undefined], ['192.168.212.1', undefined], ['10.1.0.1', undefined]])('%s → %s', (address, expected) => {
    expect(interfaceOnNetworkOf(ip, address)).toBe(expected);
  });
});

describe('interfaceOnNetworkOf: the forms ip prints', () => {
  it('a two-digit index, and a network that holds everything (/0)', () => {
    expect(interfaceOnNetworkOf('12:  br-lab    inet 192.168.211.2/24 scope global br-lab', '192.168.211.120')).toBe('br-lab');
    expect(interfaceOnNetworkOf('3: tun0    inet 10.9.9.9/0 scope global tun0', '172.16.0.1')).toBe('tun0');
    expect(interfaceOnNetworkOf('3: eth0 inet6 fe80::1/64 scope link\nnot a line', '172.16.0.1')).toBeUndefined();
  });
});
