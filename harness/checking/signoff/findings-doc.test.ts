import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RESOURCES } from '../history/history.js';
import { configFindingId, REQUIREMENTS } from '../audit/requirements.js';
import { ACCEPTANCE_DIR, PROJECT_DIR } from '../../support/paths.js';

/** The finding ids a verdict can carry: every id-shaped string in the checkers, the conversion verdict, the recoveries and the cluster's interventions. */
function findingIds(): string[] {
  const sources = [
    ...readdirSync(join(PROJECT_DIR, 'harness/checking/checkers')).map((f) => `harness/checking/checkers/${f}`),
    'harness/checking/conversion/conversion-checker.ts', 'harness/checking/faults/divergence-recovery.ts', 'harness/cluster/cluster.ts', 'harness/checking/audit/cluster-audit.ts',
  ].filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
  const ids = new Set<string>();
  for (const file of sources) {
    const text = readFileSync(join(PROJECT_DIR, file), 'utf8');
    // Every id-shaped string literal (a mutation run rewrites `id: 'X'` around the literal, never the literal itself).
    for (const [, id] of text.matchAll(/['"`]([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+)['"`]/g)) ids.add(id);
    for (const [, prefix] of text.matchAll(/`([A-Z]+-)\$\{resource\}`/g)) for (const r of RESOURCES) ids.add(`${prefix}${r}`);
  }
  return [...ids].sort();
}

/** The ids docs/findings.md explains: each `### A, B` heading names one or more; `CONFIG-<requirement>` stands for V0's row of every requirement. */
function explained(): Set<string> {
  const text = readFileSync(join(PROJECT_DIR, 'docs/findings.md'), 'utf8');
  const names = [...text.matchAll(/^### (.+)$/gm)].flatMap(([, heading]) => heading.split(/,\s*/));
  return new Set([...names, ...(names.includes('CONFIG-<requirement>') ? REQUIREMENTS.map((r) => configFindingId(r)) : [])]);
}

/** The acceptance files: each profile's, and each example operator configuration's. */
function acceptanceFiles(): string[] {
  const examples = join(PROJECT_DIR, 'examples');
  return [
    ...readdirSync(ACCEPTANCE_DIR).filter((f) => f.endsWith('.json')).map((f) => join(ACCEPTANCE_DIR, f)),
    ...readdirSync(examples).map((d) => join(examples, d, 'acceptance.json')),
  ];
}

describe('docs/findings.md', () => {
  it('explains every finding a verdict can carry', () => {
    const ids = findingIds();
    expect(ids.length).toBeGreaterThan(40);
    const documented = explained();
    expect(ids.filter((id) => !documented.has(id)), 'finding ids without an entry in docs/findings.md').toEqual([]);
  });

  it('explains every finding an acceptance file accepts, and each file points to it', () => {
    const documented = explained();
    for (const file of acceptanceFiles()) {
      const acceptance = JSON.parse(readFileSync(file, 'utf8')) as { $comment?: string; accepted: { finding: string }[] };
      expect(acceptance.$comment, `${file} points to docs/findings.md`).toContain('docs/findings.md');
      expect(acceptance.accepted.map((a) => a.finding).filter((id) => !documented.has(id)), `${file}: accepted findings without an entry`).toEqual([]);
    }
  });
});
