import { describe, expect, it } from 'vitest';
import { parseRunContext, reportFiles, reportsDirOf, runContext, runLabel } from './run-context.js';
import { REPORTS_ROOT } from '../support/paths.js';

describe('the run context', () => {
  it("puts the guide's reports at reports/ and another profile's at reports/<profile>/, with its acceptance file", () => {
    expect(reportsDirOf('guide')).toBe(REPORTS_ROOT);
    expect(reportsDirOf('hardened')).toBe(`${REPORTS_ROOT}/hardened`);
    const run = runContext({ profile: 'hardened', seed: 42 });
    expect(run).toMatchObject({ profile: 'hardened', variant: 'final', seed: 42, reportsDir: `${REPORTS_ROOT}/hardened` });
    expect(run.acceptanceFile).toMatch(/\/acceptance\/hardened\.json$/);
    expect(run.nemesis).toBeUndefined();
    expect(runContext({ nemesis: { durationSeconds: 60 } }).nemesis).toEqual({ durationSeconds: 60 });
    const seed = runContext().seed;
    expect(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 32).toBe(true);
  });

  it("names every file a run writes under its folder; a variant's procedure record and runbook carry its name", () => {
    const files = reportFiles('/r');
    expect([files.allureResults, files.junit, files.metrics, files.scenarios, files.powerSwitchLog, files.signoff, files.timings])
      .toEqual(['/r/allure-results', '/r/junit.xml', '/r/metrics.json', '/r/scenarios', '/r/power-switch.jsonl', '/r/signoff.md', '/r/timings.json']);
    expect([files.procedureRecord('final'), files.runbook('final')]).toEqual(['/r/procedure-record.json', '/r/runbook.md']);
    expect([files.procedureRecord('shrink-fs'), files.runbook('shrink-fs')]).toEqual(['/r/procedure-record-shrink-fs.json', '/r/runbook-shrink-fs.md']);
    expect(files.configAudit('after-procedure')).toBe('/r/config-audit-after-procedure.md');
  });

  it('files a run on volatile disks beside its profile\'s, never over it, and reads its disks back', () => {
    const run = runContext({ profile: 'hardened', disks: 'volatile', seed: 1 });
    expect(run.reportsDir).toBe(`${REPORTS_ROOT}/hardened/volatile-disks`);
    expect(runContext({ disks: 'volatile' }).reportsDir).toBe(`${REPORTS_ROOT}/volatile-disks`);
    expect(runContext({ disks: 'durable' }).reportsDir).toBe(REPORTS_ROOT);
    expect(runLabel(run)).toBe('hardened-volatile-disks');
    expect(runLabel(runContext({ profile: 'hardened' }))).toBe('hardened');
    expect(parseRunContext(JSON.parse(JSON.stringify(run)), 'cluster.json').disks).toBe('volatile');
    expect(parseRunContext({ ...JSON.parse(JSON.stringify(run)), disks: undefined }, 'cluster.json').disks).toBe('durable');
    expect(() => parseRunContext({ ...run, disks: 'flaky' }, 'cluster.json')).toThrow(/cluster\.json\.disks "flaky": the data disks are durable/);
  });

  it("files an operator's configuration under config-<dir>, with the directory's acceptance file, and reads it back", () => {
    const run = runContext({ config: 'examples/shop-db', seed: 1 });
    expect(run.reportsDir).toBe(`${REPORTS_ROOT}/config-shop-db`);
    expect(run.acceptanceFile).toMatch(/\/examples\/shop-db\/acceptance\.json$/);
    expect(runLabel(run)).toBe('config-shop-db');
    expect(runLabel(runContext({ profile: 'hardened' }))).toBe('hardened');
    expect(parseRunContext(JSON.parse(JSON.stringify(run)), 'cluster.json').config).toBe('examples/shop-db');
    expect(() => parseRunContext({ ...run, config: 7 }, 'cluster.json')).toThrow(/cluster\.json\.config = 7 is not a directory/);
  });
});
