import { describe, expect, it } from 'vitest';
import { parseVariant } from './variant.js';

describe('parseVariant', () => {
  it('is the final procedure when none is named', () => {
    expect(parseVariant(undefined)).toBe('final');
    expect(parseVariant('')).toBe('final');
  });

  it('knows the three variants of the issue', () => {
    for (const v of ['guide-v1', 'shrink-fs', 'external-md']) expect(parseVariant(v)).toBe(v);
  });

  it('refuses an unknown one, naming the source, the value, and each variant with what it does', () => {
    expect(() => parseVariant('shrink', '--variant')).toThrow(/^--variant "shrink": no such variant; the variants are:\n {2}final: .*\n {2}guide-v1: .*\n {2}shrink-fs: .*\n {2}external-md: /);
  });
});

