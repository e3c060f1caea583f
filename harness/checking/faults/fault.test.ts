import { describe, expect, it } from 'vitest';
import type { StartedCluster } from '../../cluster/cluster.js';
import type { LabNode } from '../../cluster/node/node.js';
import { History } from '../history/history.js';
import { nemesis, sequence, type Fault, type FaultContext } from './fault.js';

const node = (name: string) => ({ name }) as LabNode;
const cluster = { primary: node('linux01'), secondary: node('linux02') } as unknown as StartedCluster;

function recorded(calls: string[], name: string, target: LabNode, failStart = false): Fault {
  return {
    name, description: name, targets: () => [target],
    start: async (_, nodes) => {
      calls.push(`start ${name} ${nodes.map((n) => n.name)}`);
      if (failStart) throw new Error(`${name} refused`);
    },
    stop: async (_, nodes) => { calls.push(`stop ${name} ${nodes.map((n) => n.name)}`); },
  };
}

describe('sequence', () => {
  const context = () => ({ cluster, history: new History(), observers: new Map(), attach: async () => {} }) as FaultContext;

  it('starts the steps in order, each held or waited for, as one fault window; heals the last first', async () => {
    const calls: string[] = [];
    const ctx = context();
    const fault = sequence('both', 'a then b', (c) => [c.primary], [
      { fault: recorded(calls, 'a', cluster.primary), until: async () => { calls.push('until a'); return 'a took'; } },
      { fault: recorded(calls, 'b', cluster.secondary), holdSeconds: 0.01 },
    ]);
    await nemesis(fault, 'start', ctx);
    await nemesis(fault, 'stop', ctx);
    expect(calls).toEqual(['start a linux01', 'until a', 'start b linux02', 'stop b linux02', 'stop a linux01']);
    expect(ctx.history.ops({ process: 'nemesis' }).map((op) => `${op.phase} ${op.type} ${op.f} ${op.value}`)).toEqual([
      'start invoke both linux01', 'start ok both linux01', 'stop invoke both linux01', 'stop ok both linux01',
    ]);
    expect(ctx.history.events().flatMap((e) => (e.kind === 'note' ? [e.text] : []))).toEqual(['both: a on linux01', 'both: a took', 'both: b on linux02']);
  });

  it('heals in start order where asked, and stops at a step that fails, the nemesis recording the failure', async () => {
    const calls: string[] = [];
    const ordered = sequence('cut then crash', '', (c) => [c.primary], [{ fault: recorded(calls, 'cut', cluster.secondary) }, { fault: recorded(calls, 'crash', cluster.primary) }], { healOrder: 'start order' });
    await ordered.stop(context(), []);
    expect(calls).toEqual(['stop cut linux02', 'stop crash linux01']);
    const failing = sequence('f', '', (c) => [c.primary], [{ fault: recorded([], 'a', cluster.primary, true) }, { fault: recorded(calls, 'never', cluster.primary) }]);
    const ctx = context();
    await expect(nemesis(failing, 'start', ctx)).rejects.toThrow('a refused');
    expect(calls).not.toContain('start never linux01');
    expect(ctx.history.ops({ process: 'nemesis' }).at(-1)).toMatchObject({ type: 'fail', error: 'a refused' });
  });
});
