import { describe, expect, it } from 'vitest';
import { blogCheck } from './blog-checker.js';

describe('blogCheck', () => {
  it('is SAFE when every table matches, UNSAFE naming the differences, UNKNOWN when the VIP never answered', async () => {
    expect(await blogCheck(async () => [], 'after F1')).toMatchObject({ valid: true, findings: [], checker: 'data safety: WordPress tables through the VIP after F1' });
    const changed = await blogCheck(async () => ['wp_posts: 12 rows, was 13'], 'after F1');
    expect(changed).toMatchObject({ valid: false, findings: [{ id: 'BLOG-CHANGED', evidence: ['wp_posts: 12 rows, was 13'] }] });
    const unread = await blogCheck(async () => { throw new Error('connect ECONNREFUSED 192.168.211.120:3306'); }, 'after F1', 0.1);
    expect(unread).toMatchObject({ valid: 'unknown', findings: [{ id: 'BLOG-UNREAD' }] });
    expect(unread.findings[0].message).toContain('ECONNREFUSED');
  });
});
