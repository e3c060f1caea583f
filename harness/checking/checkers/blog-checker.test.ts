import { describe, expect, it } from 'vitest';
import type mysql from 'mysql2/promise';
import { blogCheck, blogDifferences } from './blog-checker.js';

describe('blogCheck', () => {
  it('is SAFE when every table matches, UNSAFE naming the differences, UNKNOWN when the VIP never answered', async () => {
    expect(await blogCheck(async () => [], 'after F1')).toMatchObject({ valid: true, findings: [], checker: 'data safety: WordPress tables through the VIP after F1' });
    const changed = await blogCheck(async () => ['wp_posts: 12 rows, was 13'], 'after F1');
    expect(changed).toMatchObject({ valid: false, findings: [{ id: 'BLOG-CHANGED', evidence: ['wp_posts: 12 rows, was 13'] }] });
    const unread = await blogCheck(async () => { throw new Error('connect ECONNREFUSED 192.168.211.120:3306'); }, 'after F1', 0.1);
    expect(unread).toMatchObject({ valid: 'unknown', findings: [{ id: 'BLOG-UNREAD' }] });
    expect(unread.findings[0].message).toContain('ECONNREFUSED');
  });

  it('names the read in its wait, and keeps the differences as evidence', async () => {
    const changed = await blogCheck(async () => ['wp_posts: 12 rows, was 13'], 'after F2');
    expect(changed.findings[0].message).toBe('WordPress tables after F2 differ from the evidence before conversion');
    expect(changed.evidence).toEqual({ differences: ['wp_posts: 12 rows, was 13'] });
    const unread = await blogCheck(async () => { throw new Error('ETIMEDOUT'); }, 'after F2', 0.1);
    expect(unread.findings[0].message).toMatch(/^the WordPress tables could not be read through the VIP after F2: .*the VIP answers MySQL after F2/);
  });
});

describe('blogDifferences', () => {
  /** A pool that answers the evidence queries from a table of rows and checksums. */
  const pool = (tables: Record<string, [number, string]>) => ({
    query: async ({ sql }: { sql: string }) => {
      if (sql.startsWith('SELECT table_name')) return [Object.keys(tables).map((t) => [t])];
      const table = Object.keys(tables).find((t) => sql.includes(`\`${t}\``))!;
      return sql.startsWith('SELECT COUNT') ? [[[tables[table][0]]]] : [[[table, tables[table][1]]]];
    },
  }) as unknown as mysql.Pool;

  it('compares every table but the ledger with the evidence before, and attaches what it read', async () => {
    const attached: string[] = [];
    const report = { step: async <T>(_: string, work: () => Promise<T>) => work(), attach: async (name: string, content: string | Buffer) => { attached.push(`${name}\n${content}`); } };
    const before = [{ table: 'wp_posts', rows: 200, checksum: '11' }, { table: 'wp_users', rows: 1, checksum: '22' }];
    expect(await blogDifferences(pool({ wp_posts: [200, '11'], wp_users: [1, '22'], halab_ledger: [9, '99'] }), 'blog', before, 'after F1', report)).toEqual([]);
    expect(attached).toEqual(['evidence through the VIP (after F1)\nwp_posts\t200\t11\nwp_users\t1\t22']);
    expect(await blogDifferences(pool({ wp_posts: [199, '10'], wp_users: [1, '22'] }), 'blog', before, 'after F1', report)).not.toEqual([]);
  });
});

