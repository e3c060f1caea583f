import { describe, expect, it } from 'vitest';
import { bootFactsCommand, describeBoot, parseBootFacts } from './node-return.js';

describe('a returning node\'s boot facts', () => {
  it('the guide\'s configuration: nothing configured, nothing running, nothing enabled at boot', () => {
    const facts = parseBootFacts('linux01', 'drbd \nactive-heartbeat inactive\nactive-mariadb inactive\nenabled-drbd disabled\nenabled-heartbeat disabled\n', 20);
    expect(facts).toEqual({
      node: 'linux01', watchedSeconds: 20, drbd: 'not configured',
      active: { heartbeat: 'inactive', mariadb: 'inactive' }, enabled: { drbd: 'disabled', heartbeat: 'disabled' }, rejoined: false,
    });
    expect(describeBoot(facts)).toBe('linux01, left alone 20 s after booting: DRBD resource not configured, drbd unit disabled at boot; heartbeat inactive (disabled at boot), mariadb inactive: did not rejoin by itself');
  });

  it('a node with DRBD and heartbeat up by itself has rejoined; either alone has not', () => {
    const text = (drbd: string, hb: string) => `drbd ${drbd}\nactive-heartbeat ${hb}\nactive-mariadb inactive\nenabled-drbd enabled\nenabled-heartbeat enabled\n`;
    expect(parseBootFacts('linux01', text('WFConnection', 'active'), 20).rejoined).toBe(true);
    expect(parseBootFacts('linux01', text('', 'active'), 20).rejoined).toBe(false);
    expect(parseBootFacts('linux01', text('SyncTarget', 'inactive'), 20).rejoined).toBe(false);
    // The hardened profile's heartbeat waits for an UpToDate disk before it starts (HD2): rejoining.
    expect(parseBootFacts('linux01', text('SyncTarget', 'activating'), 20).rejoined).toBe(true);
    expect(parseBootFacts('linux01', text('SyncTarget', 'failed'), 20).rejoined).toBe(false);
    expect(describeBoot(parseBootFacts('linux01', text('SyncTarget', 'active'), 20))).toMatch(/DRBD cs:SyncTarget, drbd unit enabled at boot; heartbeat active \(enabled at boot\).*: rejoined by itself$/);
  });

  it('output that could not be read is not a rejoin', () => {
    expect(parseBootFacts('linux02', '', 20)).toMatchObject({ drbd: 'not configured', rejoined: false });
  });

  it('reads the resource by its minor from /proc/drbd', () => {
    expect(bootFactsCommand(0)).toContain("s/^ *0: cs:");
    expect(bootFactsCommand(3)).toContain("s/^ *3: cs:");
  });
});
