import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Measurements (never assertions): the run's metrics.json, grouped by scenario. */

export type Metrics = Record<string, Record<string, Record<string, number>>>;

export function readMetrics(file: string): Metrics {
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
}

export function recordMetric(file: string, scenario: string, name: string, values: Record<string, number>): void {
  const metrics = readMetrics(file);
  const rounded = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, Math.round(v * 10) / 10]));
  metrics[scenario] = { ...metrics[scenario], [name]: rounded };
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, `${JSON.stringify(metrics, null, 2)}\n`);
}

/** The summary table printed at the end of `npm run e2e`. */
export function metricsTable(metrics: Metrics): string {
  const rows: string[] = [];
  for (const [scenario, entries] of Object.entries(metrics)) {
    for (const [name, values] of Object.entries(entries)) {
      rows.push(`  ${`${scenario}: ${name}`.padEnd(56)} ${Object.entries(values).map(([k, v]) => `${k}=${v}`).join('  ')}`);
    }
  }
  return rows.join('\n');
}
