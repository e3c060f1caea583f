import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { metricsTable, readMetrics, recordMetric } from './metrics.js';

const scratch = () => join(mkdtempSync(join(tmpdir(), 'halab-metrics-')), 'sub', 'metrics.json');

describe('metrics', () => {
  it('reads nothing from a missing file', () => {
    expect(readMetrics(scratch())).toEqual({});
  });

  it('records values rounded to a tenth, merging names within a scenario and keeping other scenarios', () => {
    const file = scratch();
    recordMetric(file, 'failover', 'rto', { seconds: 21.449, writes: 3 });
    recordMetric(file, 'failover', 'failback', { seconds: 12.96 });
    recordMetric(file, 'power cut', 'rto', { seconds: -1 });
    recordMetric(file, 'failover', 'rto', { seconds: 20.05 });
    expect(readMetrics(file)).toEqual({
      failover: { rto: { seconds: 20.1 }, failback: { seconds: 13 } },
      'power cut': { rto: { seconds: -1 } },
    });
    expect(readFileSync(file, 'utf8').endsWith('}\n')).toBe(true);
  });

  it('prints one aligned row per scenario and name', () => {
    const table = metricsTable({ failover: { rto: { seconds: 20.1, writes: 3 } }, 'power cut': { rto: { seconds: 34 } } });
    expect(table.split('\n')).toEqual([
      `  ${'failover: rto'.padEnd(56)} seconds=20.1  writes=3`,
      `  ${'power cut: rto'.padEnd(56)} seconds=34`,
    ]);
  });
});
