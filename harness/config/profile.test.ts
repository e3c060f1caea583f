import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TOPOLOGY_FILE, loadTopology } from './topology.js';
import { knownProfiles, parseProfileName, profileFile, replicationPath, validateHardening } from './profile.js';

const shipped = () => JSON.parse(readFileSync(profileFile('hardened'), 'utf8'));
const guide = loadTopology(DEFAULT_TOPOLOGY_FILE, 'guide');

function refusal(change: (h: any) => void): string {
  const h = shipped();
  change(h);
  try {
    validateHardening(h, 'topology.hardened.json', 'hardened', guide);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('the profile was accepted');
}

describe('profile', () => {
  it('the guide\'s profile has no hardening; the hardened one adds the dedicated link', () => {
    expect(guide.profile).toEqual({ name: 'guide' });
    const hardened = loadTopology(DEFAULT_TOPOLOGY_FILE, 'hardened');
    expect(hardened.profile.hardening?.replicationLink).toEqual({
      interface: 'eth2', cidr: '192.168.212.0/24', prefixLength: 24, netmask: '255.255.255.0', addresses: { linux01: '192.168.212.128', linux02: '192.168.212.129' },
    });
    expect(hardened.profile.hardening?.drbd.fencing).toBe('resource-and-stonith');
    expect(hardened.profile.hardening?.heartbeat.stonith).toEqual({ port: 1229 });
    // The profile adds, and sets heartbeat's timing; everything else stays as topology.json has it.
    expect(hardened.heartbeat).toEqual({ ...guide.heartbeat, keepalive: 2, warntime: 6, deadtime: 15, initdead: 30 });
    expect({ ...hardened, heartbeat: undefined, profile: undefined }).toEqual({ ...guide, heartbeat: undefined, profile: undefined });
  });

  it.each([
    [{ keepalive: 2, warntime: 15, deadtime: 15, initdead: 30 }, 'heartbeat.timing.warntime = 15: must be less than deadtime (15)'],
    [{ keepalive: 2, warntime: 6, deadtime: 15, initdead: 20 }, 'heartbeat.timing.initdead = 20: must be at least twice deadtime (30)'],
    [{ keepalive: 6, warntime: 6, deadtime: 15, initdead: 30 }, 'heartbeat.timing.keepalive = 6: must be less than warntime (6)'],
    [{ keepalive: 2, warntime: 6, deadtime: 15 }, 'heartbeat.timing.initdead = undefined: must be a whole number from 1 to 3600'],
    ['15s', 'heartbeat.timing = "15s": must be an object'],
  ])('refuses heartbeat timing %j, naming the field', (timing, message) => {
    const raw = JSON.parse(readFileSync(profileFile('hardened'), 'utf8'));
    raw.heartbeat.timing = timing;
    expect(() => validateHardening(raw, 'topology.hardened.json', 'hardened', guide)).toThrow(`topology.hardened.json: ${message}`);
  });

  it('replication runs on the lab network in the guide, on the dedicated link when hardened', () => {
    expect(replicationPath(guide, 'linux02')).toEqual({ interface: 'eth1', address: '192.168.211.129' });
    expect(replicationPath(loadTopology(DEFAULT_TOPOLOGY_FILE, 'hardened'), 'linux02')).toEqual({ interface: 'eth2', address: '192.168.212.129' });
  });

  it('lists the profiles beside topology.json and refuses an unknown one', () => {
    expect(knownProfiles()).toEqual(['guide', 'hardened']);
    expect(parseProfileName(undefined)).toBe('guide');
    expect(parseProfileName('hardened')).toBe('hardened');
    expect(() => parseProfileName('harden')).toThrow(/--profile "harden": no such profile .*topology\.harden\.json.*the profiles are: guide, hardened/);
    expect(() => parseProfileName('../x')).toThrow(/no such profile/);
  });

  it.each([
    ['the lab NIC as the dedicated link', (h: any) => (h.replicationLink.interface = 'eth1'), 'replicationLink.interface = "eth1": must be a NIC of its own'],
    ['a network overlapping the lab\'s', (h: any) => (h.replicationLink.cidr = '192.168.211.0/24'), 'replicationLink.cidr = "192.168.211.0/24": overlaps 192.168.211.0/24'],
    ['a network overlapping the management network', (h: any) => (h.replicationLink.cidr = '192.168.121.0/25'), 'overlaps 192.168.121.0/24'],
    ['an address outside the link', (h: any) => (h.replicationLink.addresses.linux02 = '192.168.211.129'), 'replicationLink.addresses.linux02 = "192.168.211.129": must be a host address in 192.168.212.0/24'],
    ['one address for both nodes', (h: any) => (h.replicationLink.addresses.linux02 = '192.168.212.128'), 'is already used by the other node'],
    ['a node topology.json does not have', (h: any) => (h.replicationLink.addresses.linux03 = '192.168.212.130'), 'replicationLink.addresses.linux03 = "192.168.212.130": names no node'],
    ['no fencing', (h: any) => (h.drbd.fencing = 'dont-care'), 'drbd.fencing = "dont-care": must be one of "resource-only", "resource-and-stonith"'],
    ['resource-and-stonith without a STONITH device', (h: any) => delete h.heartbeat.stonith, 'heartbeat.stonith = undefined: must be set with drbd.fencing "resource-and-stonith"'],
    ['a power switch on a privileged port', (h: any) => (h.heartbeat.stonith.port = 80), 'heartbeat.stonith.port = 80: must be a whole number from 1024 to 65535'],
    ['fencing without dopd', (h: any) => (h.heartbeat.dopd = false), 'heartbeat.dopd = false: must be true'],
    ['heartbeat not started at boot', (h: any) => (h.startAtBoot = ['drbd']), 'startAtBoot = ["drbd"]: must list "drbd" and "heartbeat"'],
    ['a wait of no time', (h: any) => (h.heartbeat.waitForUpToDateSeconds = 0), 'heartbeat.waitForUpToDateSeconds = 0: must be a whole number from 10 to 7200'],
    ['another profile\'s name', (h: any) => (h.profile = 'guide'), 'profile = "guide": must be "hardened"'],
  ])('refuses %s, naming the file, the field and the value', (_, change, message) => {
    const line = refusal(change);
    expect(line.startsWith('topology.hardened.json: ')).toBe(true);
    expect(line).toContain(message);
  });
});
