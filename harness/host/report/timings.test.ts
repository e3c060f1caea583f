import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Timings } from './timings.js';

describe('Timings: the lab phases and each scenario\'s reset', () => {
  it('takes the resets from the metrics, says which reverted, and writes them beside the phases', () => {
    const timings = new Timings();
    timings.record('vagrant up (both VMs)', 52.84);
    timings.recordResets({
      'failover: heartbeat stopped': { reset: { seconds: 16.3, fromSnapshot: 1 }, verdict: { lost: 0 } },
      'fault: power cut': { reset: { seconds: 83.1, fromSnapshot: 0 } },
      procedure: { 'phase seconds': { convert: 40 } },
    });
    const file = join(mkdtempSync(join(tmpdir(), 'timings-')), 'timings.json');
    timings.write(file);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      phases: { 'vagrant up (both VMs)': 52.8 },
      resets: {
        'failover: heartbeat stopped': { seconds: 16.3, fromSnapshot: true },
        'fault: power cut': { seconds: 83.1, fromSnapshot: false },
      },
      facts: {},
    });
    const summary = timings.summary().split('\n');
    expect(summary).toHaveLength(3);
    expect(summary[1]).toMatch(/reset: failover: heartbeat stopped\s+16\.3 s {2}from the snapshot$/);
    expect(summary[2]).toMatch(/reset: fault: power cut\s+83\.1 s {2}steady state set up$/);
  });

  it('writes no resets key when no scenario ran', () => {
    const timings = new Timings();
    timings.recordResets({});
    const file = join(mkdtempSync(join(tmpdir(), 'timings-')), 'timings.json');
    timings.write(file);
    expect(Object.keys(JSON.parse(readFileSync(file, 'utf8')))).toEqual(['phases', 'facts']);
  });
});
