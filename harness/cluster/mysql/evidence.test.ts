import { describe, expect, it } from 'vitest';
import { compareEvidence, evidenceCommand, evidenceSql, parseEvidence } from './evidence.js';

describe('evidence', () => {
  const before = () => parseEvidence('wp_posts\t203\t1234567\nwp_comments\t400\t998877\n');

  it('parses and sorts table lines', () => {
    expect(before()).toEqual([
      { table: 'wp_comments', rows: 400, checksum: '998877' },
      { table: 'wp_posts', rows: 203, checksum: '1234567' },
    ]);
  });

  it('finds nothing to report for identical data', () => {
    expect(compareEvidence(before(), parseEvidence('wp_comments\t400\t998877\nwp_posts\t203\t1234567\n'))).toEqual([]);
  });

  it('names changed, missing and new tables', () => {
    const after = parseEvidence('wp_posts\t202\t1111\nwp_options\t150\t42\n');
    expect(compareEvidence(before(), after)).toEqual([
      'wp_comments: missing after',
      'wp_posts: rows 203 → 202, checksum 1234567 → 1111',
      'wp_options: not there before',
    ]);
  });

  it('refuses lines it does not understand', () => {
    expect(() => parseEvidence('wp_posts\tmany\t1\n')).toThrow('evidence line not understood');
  });

  it('fingerprints whole tables with CHECKSUM TABLE, and only the durable rows of wp_options', () => {
    expect(evidenceSql('blog', 'wp_posts')).toEqual({ rows: 'SELECT COUNT(*) FROM `blog`.`wp_posts`', checksum: 'CHECKSUM TABLE `blog`.`wp_posts`' });
    const options = evidenceSql('blog', 'wp_options');
    expect(options.rows).toContain("WHERE option_name NOT LIKE '%\\_transient\\_%' AND option_name <> 'cron'");
    expect(options.checksum).toMatch(/^SELECT 'wp_options', COALESCE\(BIT_XOR\(CRC32\(CONCAT_WS\(0x1f, option_id, option_name, option_value, autoload/);
  });

  it('builds one shell command for all tables, quoting the SQL for the shell', () => {
    const command = evidenceCommand('blog', ['wp_options', 'wp_posts']);
    expect(command.split(' && ')).toHaveLength(2);
    expect(command).toContain("mariadb -N -B -e $'CHECKSUM TABLE `blog`.`wp_posts`' | cut -f2");
  });
});

describe('compareEvidence sees each difference on its own', () => {
  const posts = () => parseEvidence('wp_posts\t203\t1234567\n');
  it('a changed checksum with the same row count', () => {
    expect(compareEvidence(posts(), parseEvidence('wp_posts\t203\t7654321\n'))).toEqual(['wp_posts: rows 203 → 203, checksum 1234567 → 7654321']);
  });
  it('a changed row count with the same checksum', () => {
    expect(compareEvidence(posts(), parseEvidence('wp_posts\t204\t1234567\n'))).toEqual(['wp_posts: rows 203 → 204, checksum 1234567 → 1234567']);
  });
  it('nothing for the same table in another order of lines', () => {
    const two = 'wp_a\t1\t1\nwp_b\t2\t2\n';
    expect(compareEvidence(parseEvidence(two), parseEvidence('wp_b\t2\t2\nwp_a\t1\t1\n'))).toEqual([]);
  });
});
