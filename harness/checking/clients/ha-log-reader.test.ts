import { describe, expect, it } from 'vitest';
import type { LabNode } from '../../cluster/node/node.js';
import { History } from '../history/history.js';
import { haLogMarks, haLogSince, recordHaLogMilestones } from './ha-log-reader.js';

/** A node whose ha-log is an array of lines (undefined: the node cannot be read), read as `wc -l` and `tail -n +N` would. */
function nodeWithLog(name: string, log: { lines?: string[] }): LabNode {
  const heartbeat = {
    logLines: async () => { if (!log.lines) throw new Error(`${name} unreachable`); return log.lines.length; },
    log: async (from = 1) => { if (!log.lines) throw new Error(`${name} unreachable`); return log.lines.slice(from - 1).join('\n'); },
  };
  return { name, heartbeat } as unknown as LabNode;
}

const DEAD = 'Dec 02 10:00:05 linux02 heartbeat: [1]: WARN: node linux01: is dead';
const VIP = '2026/12/02_10:00:07 INFO:  Running /etc/ha.d/resource.d/IPaddr 192.168.211.120/24/eth1 start';
const OLD = 'Dec 02 09:00:00 linux02 heartbeat: [1]: WARN: node linux01: is dead';

describe('the ha-log reader', () => {
  it('marks where each log ends, 0 for a node it cannot read', async () => {
    const marks = await haLogMarks([nodeWithLog('linux01', { lines: ['a', 'b'] }), nodeWithLog('linux02', {})]);
    expect([...marks]).toEqual([['linux01', 2], ['linux02', 0]]);
  });

  it('reads what was written after the mark; all of a log that was rotated; nothing from a node it cannot read', async () => {
    const log = { lines: [OLD, 'x'] };
    const node = nodeWithLog('linux02', log);
    const marks = await haLogMarks([node]);
    log.lines.push(DEAD, VIP);
    expect(await haLogSince(node, marks)).toBe(`${DEAD}\n${VIP}`);
    // Rotated: shorter than at the mark.
    log.lines = [DEAD];
    expect(await haLogSince(node, marks)).toBe(DEAD);
    // A node missing from the marks is read whole.
    expect(await haLogSince(node, new Map())).toBe(DEAD);
    expect(await haLogSince(nodeWithLog('linux01', {}), marks)).toBeUndefined();
  });

  it('records the milestones written since the mark at the log\'s own time, and which logs were read', async () => {
    const log = { lines: [OLD] };
    const nodes = [nodeWithLog('linux02', log), nodeWithLog('linux01', {})];
    const marks = await haLogMarks(nodes);
    log.lines.push(DEAD, 'noise', VIP);
    const history = new History(() => Date.UTC(2026, 11, 2, 10, 1));
    await recordHaLogMilestones(history, nodes, marks);
    const notes = history.events().map((e) => [e.at, e.kind === 'note' ? e.text : '']);
    expect(notes).toEqual([
      [Date.UTC(2026, 11, 2, 10, 0, 5), `ha-log linux02: dead: ${DEAD}`],
      [Date.UTC(2026, 11, 2, 10, 0, 7), `ha-log linux02: vip: ${VIP}`],
      [Date.UTC(2026, 11, 2, 10, 1), 'ha-log linux02 read: 3 lines since the scenario began'],
    ]);
  });
});
