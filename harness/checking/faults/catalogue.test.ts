import { describe, expect, it } from 'vitest';
import type { StartedCluster } from '../../cluster/cluster.js';
import type { LabNode } from '../../cluster/node/node.js';
import type { DiscardedWrites } from '../../hypervisor/volatile-disk/volatile-disk.js';
import { completions, faultWindows, History } from '../history/history.js';
import { cacheLosses, CACHE_LOSS, powerCut } from './catalogue.js';
import { nemesis, type FaultContext } from './fault.js';

/** A node whose power cut returns what its disk's cache lost (undefined: an ordinary disk). */
const crashing = (name: string, discarded?: DiscardedWrites) => ({ name, crash: async () => discarded }) as unknown as LabNode;

function context(primary: LabNode) {
  const attached: string[] = [];
  const poweredOff: string[] = [];
  const ctx = {
    cluster: { primary } as unknown as StartedCluster,
    history: new History(),
    observers: new Map([[primary.name, { markPoweredOff: () => poweredOff.push(primary.name) }]]),
    attach: async (name: string, content: string) => { attached.push(`${name}: ${content}`); },
  } as unknown as FaultContext;
  return { ctx, attached, poweredOff };
}

describe('powerCut: a volatile disk\'s lost cache as a fault of its own', () => {
  it('records what the cut discarded beside the power cut, and attaches it', async () => {
    const lost = { writes: 3, bytes: 12288, blocks: 3, sinceFlush: '2026-12-02 13:00:00.000000' };
    const { ctx, attached, poweredOff } = context(crashing('linux01', lost));
    await nemesis(powerCut(), 'start', ctx);
    expect(poweredOff).toEqual(['linux01']);
    expect(cacheLosses(ctx.history)).toEqual([{ node: 'linux01', ...lost, at: expect.any(Number) }]);
    expect(ctx.history.ops({ f: CACHE_LOSS }).map((op) => op.type)).toEqual(['invoke', 'ok']);
    expect(attached).toEqual(['linux01: its data disk\'s write cache lost with the power: 3 write(s), 12288 bytes in 3 4 KiB block(s) since the flush at 2026-12-02 13:00:00.000000']);
    // A process runs one op at a time: the loss is another process's, or the power cut's invoke would be lost.
    expect(completions(ctx.history.ops()).map((op) => `${op.process} ${op.f} ${op.type}`).sort()).toEqual(['disk-cache disk-cache-loss ok', 'nemesis power-cut ok']);
    // The loss is an instant, not a window: the power cut's window stays the only one.
    expect(faultWindows(ctx.history, Date.now() + 1000).map((w) => w.fault)).toEqual(['power-cut']);
  });

  it('records nothing for an ordinary disk, which keeps every write', async () => {
    const { ctx, attached } = context(crashing('linux01'));
    await nemesis(powerCut(), 'start', ctx);
    expect(cacheLosses(ctx.history)).toEqual([]);
    expect(ctx.history.ops({ f: CACHE_LOSS })).toEqual([]);
    expect(attached).toEqual([]);
  });
});
