import { describe, expect, it } from 'vitest';
import { internalMetadataSectors, planExtension } from './metadata.js';

describe('internalMetadataSectors', () => {
  it("matches the formula for the guide's 320 MiB LV (655360 sectors)", () => {
    // ceil(655360 / 262144) = 3 → 3 * 8 + 72 = 96 sectors = 48 KiB
    expect(internalMetadataSectors(655360)).toBe(96);
  });

  it('steps up at each 128 MiB boundary', () => {
    expect(internalMetadataSectors(262144)).toBe(80);
    expect(internalMetadataSectors(262145)).toBe(88);
  });

  it('refuses nonsense sizes', () => {
    expect(() => internalMetadataSectors(0)).toThrow('positive whole number');
  });
});

describe('planExtension', () => {
  it('adds one 32 MiB extent to the 320 MiB LV, as the guide does (352 MiB)', () => {
    expect(planExtension(655360, 32, 5)).toEqual({ metadataSectors: 96, extents: 1, newSizeSectors: 352 * 2048 });
  });

  it('needs more than one extent where extents are small and the device large', () => {
    // 1 TiB with 1 MiB extents: metadata is about 32 MiB, so 33 extents.
    const plan = planExtension(2 ** 31, 1, 1000);
    expect(plan.extents).toBe(33);
    expect(plan.extents * 2048).toBeGreaterThanOrEqual(internalMetadataSectors(plan.newSizeSectors));
    expect((plan.extents - 1) * 2048).toBeLessThan(internalMetadataSectors(2 ** 31 + (plan.extents - 1) * 2048));
  });

  it('refuses when the free extents do not cover the metadata, naming both numbers', () => {
    expect(() => planExtension(655360, 32, 0)).toThrow('the volume group has 0 free extent(s) of 32 MiB, but DRBD\'s internal metadata (96 sectors) needs 1');
    expect(() => planExtension(2 ** 31, 1, 10)).toThrow(/needs 33/);
  });
});
