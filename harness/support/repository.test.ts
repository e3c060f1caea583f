import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_DIR } from './paths.js';

/** The repository's own text files: what a user who clones it reads. */
function ownFiles(dir = PROJECT_DIR): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (['node_modules', 'reports', '.git', '.halab', '.stryker-tmp', '.vagrant'].includes(name)) return [];
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return ownFiles(path);
    return /\.(ts|md|json|cjs|mjs|sh|yml|py)$|^Vagrantfile$|^run$/.test(name) ? [relative(PROJECT_DIR, path)] : [];
  });
}

describe('the repository speaks to its users', () => {
  it('keeps the README a reference of at most 250 lines, every page it names present', () => {
    const readme = readFileSync(join(PROJECT_DIR, 'README.md'), 'utf8');
    expect(readme.split('\n').length).toBeLessThanOrEqual(250);
    const pages = [...readme.matchAll(/\bdocs\/[a-z0-9/.-]+\.md\b/g)].map(([page]) => page);
    expect(pages.length).toBeGreaterThan(5);
    expect(pages.filter((page) => !existsSync(join(PROJECT_DIR, page)))).toEqual([]);
  });

  it('refers to nothing outside itself', () => {
    const outside = ownFiles().filter((file) => file !== 'harness/support/repository.test.ts')
      .filter((file) => /\.\.\/shared\/|\bshared\/(notes|seed)\b|PROCEDURE\.md|FAULT-FACTS|LAB-FACTS/.test(readFileSync(join(PROJECT_DIR, file), 'utf8')));
    expect(outside).toEqual([]);
  });
});
