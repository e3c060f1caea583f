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

export interface JunitFailure {
  file: string;
  test: string;
  /** The failure's first line: CI often shows only the tail of the output, so the cause must be there. */
  reason: string;
}

const attribute = (tag: string, name: string) => decodeXml(new RegExp(`\\b${name}="([^"]*)"`).exec(tag)?.[1] ?? '');
const decodeXml = (text: string) => text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16))).replace(/&amp;/g, '&');

/** The failed test cases of a JUnit XML report, each with the first line of its failure. */
export function junitFailures(xml: string): JunitFailure[] {
  const cases = xml.match(/<testcase\b[\s\S]*?(?:\/>|<\/testcase>)/g) ?? [];
  return cases.flatMap((testcase) => {
    const failure = /<(?:failure|error)\b[^>]*>/.exec(testcase);
    if (!failure) return [];
    const open = /<testcase\b[^>]*>/.exec(testcase)![0];
    const linesOf = (text: string) => text.split('\n').map((line) => line.replace(/^[+-]?\s*"?|"?,?$/g, '').trim()).filter(Boolean);
    const lines = linesOf(attribute(failure[0], 'message'));
    // vitest cuts a long diff from the message ("expected [ Array(1) ] to deeply equal []"): the body has it whole.
    const body = linesOf(decodeXml(testcase.slice(failure.index + failure[0].length)));
    // A sign-off failure's first line is only its title, and its verdict lines include accepted findings: the unaccepted finding is the cause.
    const cause = (line: string) => / is not accepted in | STALE | over the \d+ s the /.test(line);
    const reason = lines.find(cause) ?? body.find(cause) ?? lines.find((line) => /^(UNSAFE|UNKNOWN)\b/.test(line)) ?? lines[0] ?? 'no message';
    return [{ file: attribute(open, 'classname'), test: attribute(open, 'name'), reason }];
  });
}

/** The plain closing lines CI runners read: `specs: N passed, N failed, N skipped`, then each failure's cause. */
export function junitClosingLine(file: string): string | undefined {
  if (!existsSync(file)) return undefined;
  const xml = readFileSync(file, 'utf8');
  const { passed, failed, skipped } = countJunit(xml);
  const failures = junitFailures(xml).map((f) => `  failed: ${f.file} › ${f.test}\n    ${f.reason.slice(0, 400)}`);
  return [`specs: ${passed} passed, ${failed} failed, ${skipped} skipped`, ...failures].join('\n');
}
