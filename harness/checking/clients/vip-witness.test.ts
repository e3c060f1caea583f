import { describe, expect, it } from 'vitest';
import { interfaceWithAddress, parseArpReply } from './vip-witness.js';

describe("the host witness's parsing", () => {
  it("reads the prober's lines, and nothing else", () => {
    expect(parseArpReply('1796179797374 192.168.211.120 52:54:00:96:f4:50')).toEqual({ at: 1796179797374, address: '192.168.211.120', mac: '52:54:00:96:f4:50' });
    expect(parseArpReply('Traceback (most recent call last):')).toBeUndefined();
    expect(parseArpReply('1796179797374 192.168.211.120 52:54:00:96:f4')).toBeUndefined();
  });

  it("finds the host's interface that holds an address", () => {
    const text = [
      '1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever',
      '3: virbr2    inet 192.168.211.2/24 brd 192.168.211.255 scope global virbr2\\       valid_lft forever preferred_lft forever',
      '4: virbr3    inet 192.168.212.1/24 brd 192.168.212.255 scope global virbr3',
    ].join('\n');
    expect(interfaceWithAddress(text, '192.168.211.2')).toBe('virbr2');
    expect(interfaceWithAddress(text, '192.168.211.20')).toBeUndefined();
  });
});
