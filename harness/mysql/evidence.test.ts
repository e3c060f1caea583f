import { describe, expect, it } from 'vitest';
import { compareEvidence, parseEvidence } from './evidence.js';

describe('evidence', () => {
  const before = parseEvidence('wp_posts\t203\t1234567\nwp_comments\t400\t998877\n');

  it('parses and sorts table lines', () => {
    expect(before).toEqual([
      { table: 'wp_comments', rows: 400, checksum: '998877' },
      { table: 'wp_posts', rows: 203, checksum: '1234567' },
    ]);
  });

  it('finds nothing to report for identical data', () => {
    expect(compareEvidence(before, parseEvidence('wp_comments\t400\t998877\nwp_posts\t203\t1234567\n'))).toEqual([]);
  });

  it('names changed, missing and new tables', () => {
    const after = parseEvidence('wp_posts\t202\t1111\nwp_options\t150\t42\n');
    expect(compareEvidence(before, after)).toEqual([
      'wp_comments: missing after',
      'wp_posts: rows 203 → 202, checksum 1234567 → 1111',
      'wp_options: not there before',
    ]);
  });

  it('refuses lines it does not understand', () => {
    expect(() => parseEvidence('wp_posts\tmany\t1\n')).toThrow('evidence line not understood');
  });
});
