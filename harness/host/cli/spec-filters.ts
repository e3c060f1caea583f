import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The spec files under `specsDir`, as vitest names them (`specs/F1-link-cut.spec.ts`). */
export function specFiles(specsDir: string): string[] {
  return readdirSync(specsDir).filter((f) => f.endsWith('.spec.ts')).map((f) => join('specs', f));
}

/**
 * The filters that match no spec file. vitest runs the files whose path contains a filter and
 * says nothing of a filter that matches none: a renamed spec would drop out of a run (or of CI)
 * silently, so the e2e runner refuses such a filter before any VM starts.
 */
export function unmatchedFilters(filters: readonly string[], files: readonly string[]): string[] {
  return filters.filter((filter) => !files.some((file) => file.includes(filter)));
}
