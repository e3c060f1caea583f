import { describe, expect, it } from 'vitest';
import { describeState, inSync, parseProcDrbd, resourceState } from './proc-drbd.js';

// As printed by the 8.4.11 module of Debian 12's kernel.
const syncing = `version: 8.4.11 (api:1/proto:86-101)
srcversion: 211FB288A383ED945B83420
 0: cs:SyncTarget ro:Secondary/Primary ds:Inconsistent/UpToDate C r-----
    ns:0 nr:184320 dw:184320 dr:0 al:8 bm:0 lo:0 pe:0 ua:0 ap:0 ep:1 wo:f oos:176128
\t[=========>..........] sync'ed: 51.2% (176128/360448)K
\tfinish: 0:00:08 speed: 20,480 (20,480) want: 10,240 K/sec
`;

const connected = `version: 8.4.11 (api:1/proto:86-101)
srcversion: 211FB288A383ED945B83420
 0: cs:Connected ro:Primary/Secondary ds:UpToDate/UpToDate C r-----
    ns:360448 nr:0 dw:0 dr:362560 al:8 bm:0 lo:0 pe:0 ua:0 ap:0 ep:1 wo:f oos:0
`;

describe('parseProcDrbd', () => {
  it('reads version, connection, roles, disks and sync progress', () => {
    const proc = parseProcDrbd(syncing);
    expect(proc.version).toBe('8.4.11');
    expect(proc.resources[0]).toEqual({
      minor: 0,
      cs: 'SyncTarget',
      role: { local: 'Secondary', peer: 'Primary' },
      disk: { local: 'Inconsistent', peer: 'UpToDate' },
      outOfSyncKiB: 176128,
      sync: { percent: 51.2, doneKiB: 184320, totalKiB: 360448, etaSeconds: 8, speedKiBs: 20480 },
    });
    expect(describeState(proc.resources[0])).toBe('cs:SyncTarget ro:Secondary/Primary ds:Inconsistent/UpToDate 51.2% 20.0 MiB/s eta 8s');
  });

  it('reads a connected, synced resource without progress', () => {
    const state = resourceState(parseProcDrbd(connected), 0);
    expect(state).toMatchObject({ cs: 'Connected', role: { local: 'Primary', peer: 'Secondary' }, disk: { local: 'UpToDate', peer: 'UpToDate' }, outOfSyncKiB: 0 });
    expect(state.sync).toBeUndefined();
  });

  it('reads WFConnection with an unknown peer, and an unconfigured minor', () => {
    const proc = parseProcDrbd('version: 8.4.11 (api:1/proto:86-101)\n 0: cs:WFConnection ro:Primary/Unknown ds:UpToDate/DUnknown C r----s\n 1: cs:Unconfigured\n');
    expect(proc.resources[0]).toMatchObject({ cs: 'WFConnection', role: { peer: 'Unknown' }, disk: { peer: 'DUnknown' } });
    expect(proc.resources[1]).toMatchObject({ cs: 'Unconfigured', role: { local: 'Unconfigured' } });
  });

  it('says a minor absent from /proc/drbd is unconfigured', () => {
    expect(resourceState(parseProcDrbd('version: 8.4.11 (api:1/proto:86-101)\n'), 0).cs).toBe('Unconfigured');
    expect(parseProcDrbd('').resources).toEqual([]);
  });

  it('calls only a connected resource with both disks UpToDate in sync', () => {
    expect(inSync(resourceState(parseProcDrbd(connected), 0))).toBe(true);
    expect(inSync(parseProcDrbd(syncing).resources[0])).toBe(false);
  });
});

describe('inSync needs all three', () => {
  const connectedState = () => resourceState(parseProcDrbd(connected), 0);
  it('is false when any one of connected, local UpToDate, peer UpToDate is missing', () => {
    expect(inSync({ ...connectedState(), cs: 'WFConnection' })).toBe(false);
    expect(inSync({ ...connectedState(), disk: { local: 'Outdated', peer: 'UpToDate' } })).toBe(false);
    expect(inSync({ ...connectedState(), disk: { local: 'UpToDate', peer: 'Inconsistent' } })).toBe(false);
    expect(inSync(connectedState())).toBe(true);
  });

  it('describes a state without sync progress plainly', () => {
    expect(describeState(connectedState())).toBe('cs:Connected ro:Primary/Secondary ds:UpToDate/UpToDate');
  });

  it('reads a finish line with hours, and speeds with thousands separators', () => {
    const slow = parseProcDrbd(syncing.replace('finish: 0:00:08 speed: 20,480 (20,480)', 'finish: 1:02:03 speed: 1,234,567 (1,000)'));
    expect(slow.resources[0].sync).toMatchObject({ etaSeconds: 3723, speedKiBs: 1234567 });
  });
});

describe('parseProcDrbd, at the edges', () => {
  it('reads a two-digit minor at the start of the line only, and an unconfigured one with the defaults', () => {
    const proc = parseProcDrbd('version: 8.4.11 (api:1/proto:86-101)\n10: cs:Unconfigured\n x 3: cs:Connected ro:Primary/Secondary ds:UpToDate/UpToDate\n');
    expect(proc.resources).toEqual([{ minor: 10, cs: 'Unconfigured', role: { local: 'Unconfigured', peer: 'Unknown' }, disk: { local: 'Diskless', peer: 'DUnknown' } }]);
    expect(resourceState(proc, 0)).toEqual({ minor: 0, cs: 'Unconfigured', role: { local: 'Unconfigured', peer: 'Unknown' }, disk: { local: 'Diskless', peer: 'DUnknown' } });
    expect(resourceState(proc, 10).cs).toBe('Unconfigured');
  });

  it('ignores oos and progress lines before any resource', () => {
    expect(parseProcDrbd('    ns:0 nr:0 oos:42\n\t[==>...] sync\'ed: 10.0% (9/10)K\n').resources).toEqual([]);
  });

  it('reads progress written without spaces after the colons, and an hours-long finish', () => {
    const text = ' 0: cs:SyncSource ro:Primary/Secondary ds:UpToDate/Inconsistent C r-----\n    ns:1 nr:0 oos:100\n\t[>....] sync\'ed:  5.0% (100/200)K\n\tfinish:  12:00:00  speed:  1,024 (1,024) K/sec\n';
    expect(parseProcDrbd(text).resources[0]).toMatchObject({ outOfSyncKiB: 100, sync: { percent: 5, doneKiB: 100, totalKiB: 200, etaSeconds: 43200, speedKiBs: 1024 } });
  });
});
