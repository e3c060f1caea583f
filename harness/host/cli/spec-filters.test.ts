import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { specFiles, unmatchedFilters } from './spec-filters.js';

describe('spec filters', () => {
  const files = ['specs/00-lab-vms.spec.ts', 'specs/F1-link-cut.spec.ts', 'specs/V0-config-audit.spec.ts'];

  it('names each filter that matches no spec file, by substring as vitest matches', () => {
    expect(unmatchedFilters(['00-lab', 'F1-', 'V0-'], files)).toEqual([]);
    expect(unmatchedFilters(['F1-', 'F10-', 'link-cut', 'S9'], files)).toEqual(['F10-', 'S9']);
  });

  it("lists the repository's spec files, every filter of .ci/run among them", () => {
    const mine = specFiles(fileURLToPath(new URL('../../../specs', import.meta.url)));
    expect(mine).toContain('specs/01-procedure.spec.ts');
    expect(unmatchedFilters(['00-lab', '01-procedure', '02-steady-state', '03-', '04-', '05-', 'F1-', 'F2-', 'F3-', 'F4-', 'V0-'], mine)).toEqual([]);
  });
});
