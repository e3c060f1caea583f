import { existsSync, readFileSync } from 'node:fs';

export interface JunitCounts {
  passed: number;
  failed: number;
  skipped: number;
}

/** Counts test cases in a JUnit XML report (vitest's reporter: one <testcase> per test). */
export function countJunit(xml: string): JunitCounts {
  const cases = xml.match(/<testcase\b[\s\S]*?(?:\/>|<\/testcase>)/g) ?? [];
  let failed = 0;
  let skipped = 0;
  for (const testcase of cases) {
    if (/<(failure|error)\b/.test(testcase)) failed++;
    else if (/<skipped\b/.test(testcase)) skipped++;
  }
  return { passed: cases.length - failed - skipped, failed, skipped };
}

/** The plain closing line CI runners read: `specs: N passed, N failed, N skipped`. */
export function junitClosingLine(file: string): string | undefined {
  if (!existsSync(file)) return undefined;
  const { passed, failed, skipped } = countJunit(readFileSync(file, 'utf8'));
  return `specs: ${passed} passed, ${failed} failed, ${skipped} skipped`;
}
