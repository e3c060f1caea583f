import { describe, expect, it } from 'vitest';
import { History } from '../history/history.js';
import { parsePowerOperations, powerOperationsRead, recordPowerOperations } from './power-switch-reader.js';

const reset = { at: '2026-11-28T14:27:02.542Z', from: '192.168.121.53', action: 'reset', node: 'linux01', before: 'paused', outcome: 'power-cycled', cutAt: Date.parse('2026-11-28T14:27:01.900Z') };
const earlier = { ...reset, at: '2026-11-28T14:00:00.000Z', cutAt: Date.parse('2026-11-28T13:59:59.000Z') };
const off = { at: '2026-11-28T14:33:29.000Z', from: '192.168.121.53', action: 'reset', node: 'linux01', before: 'shut off', outcome: 'already off' };

describe('the power switch\'s operations in a scenario\'s history', () => {
  it('reads the JSON lines, skipping a torn one', () => {
    const text = `${JSON.stringify(reset)}\n{"at": "2026-11-28T14:2\n${JSON.stringify(off)}\n`;
    expect(parsePowerOperations(text).map((op) => op.outcome)).toEqual(['power-cycled', 'already off']);
  });

  it('a fence the switch made is a power cut: the node holds nothing from the cut until the reset powers it on, then it is unseen', () => {
    const history = new History();
    const mine = recordPowerOperations(history, Date.parse('2026-11-28T14:26:00Z'), parsePowerOperations([earlier, reset, off].map((o) => JSON.stringify(o)).join('\n')));
    expect(mine).toHaveLength(2);
    const observed = history.observations('linux01');
    expect(observed).toHaveLength(2);
    expect(observed[0]).toMatchObject({ at: reset.cutAt, state: { drbdPrimary: false, mounted: false, vip: false, mysqld: false } });
    expect(observed[0].source).toContain('asked by 192.168.121.53');
    expect(observed[1]).toMatchObject({ at: Date.parse(reset.at), state: 'unknown' });
    expect(observed[1].source).toContain('booting');
    const notes = history.events().filter((e) => e.kind === 'note').map((e) => (e as { text: string }).text);
    expect(notes).toEqual([
      'power switch: 2026-11-28T14:27:02.542Z 192.168.121.53 asked reset of linux01 (was paused): power-cycled',
      'power switch: 2026-11-28T14:33:29.000Z 192.168.121.53 asked reset of linux01 (was shut off): already off',
      'power switch log read: 2 operation(s) since the scenario began',
    ]);
    expect(powerOperationsRead(history)?.map((op) => op.outcome)).toEqual(['power-cycled', 'already off']);
  });

  it('records nothing, and says the log was not read, when the switch wrote no log', () => {
    const history = new History();
    expect(recordPowerOperations(history, 0, undefined)).toEqual([]);
    expect(powerOperationsRead(history)).toBeUndefined();
    recordPowerOperations(history, 0, []);
    expect(powerOperationsRead(history)).toEqual([]);
  });
});
