import { existsSync, readFileSync } from 'node:fs';
import type { PowerOperation } from '../../hypervisor/power-switch/power-switch.js';
import { describeOperation } from '../../hypervisor/power-switch/power-switch.js';
import { bootingSource, POWERED_OFF, type History } from '../history/history.js';

/** The power switch's operations from its JSON lines (lines that do not parse are skipped: a torn last write). */
export function parsePowerOperations(text: string): PowerOperation[] {
  return text.split('\n').flatMap((line) => {
    if (!line.trim()) return [];
    try {
      return [JSON.parse(line) as PowerOperation];
    } catch {
      return [];
    }
  });
}

/**
 * What the lab's power switch did since `since` (ms), into the history: each operation as a note,
 * and a power cut it made (a STONITH fence) as what the node held from then on: nothing, known
 * without asking it, as for a power cut of the harness's own, until a reset powers it on again.
 * Without this a fenced node is only "unseen" from its last sample until it is back, and
 * exclusivity could not be decided.
 */
export function recordPowerOperations(history: History, since: number, operations: readonly PowerOperation[] | undefined): PowerOperation[] {
  // No log: the switch did not serve (a profile without STONITH), and the fence checker cannot see.
  if (!operations) return [];
  const mine = operations.filter((op) => Date.parse(op.at) >= since);
  history.append({ kind: 'note', text: `power switch log read: ${mine.length} operation(s) since the scenario began`, data: { powerLogRead: true } });
  for (const op of mine) {
    history.append({ kind: 'note', text: `power switch: ${describeOperation(op)}`, at: Date.parse(op.at), data: { powerOperation: op } });
    if (op.cutAt !== undefined) {
      history.append({
        kind: 'observe', at: op.cutAt, node: op.node, source: `power cut by the lab's power switch (STONITH, asked by ${op.from})`,
        state: { ...POWERED_OFF },
      });
    }
    // A reset turns the power on again as it ends: from then the node boots, unseen until its sampler answers.
    if (op.outcome === 'power-cycled') {
      history.append({ kind: 'observe', at: Date.parse(op.at), node: op.node, state: 'unknown', source: bootingSource(`again by the lab's power switch`) });
    }
  }
  return mine;
}

/** The switch's log, or undefined when it never wrote one (it did not serve this run). */
export function readPowerOperations(file: string): PowerOperation[] | undefined {
  return existsSync(file) ? parsePowerOperations(readFileSync(file, 'utf8')) : undefined;
}

/** The outcomes that leave a node fenced: its power cut, or found already off. */
export const FENCED: readonly PowerOperation['outcome'][] = ['power-cycled', 'powered off', 'already off'];

/** The power switch's operations as the history recorded them, or undefined when its log was not read. */
export function powerOperationsRead(history: History): PowerOperation[] | undefined {
  const notes = history.events().filter((e) => e.kind === 'note');
  if (!notes.some((e) => e.data?.powerLogRead === true)) return undefined;
  return notes.flatMap((e) => (e.data?.powerOperation ? [e.data.powerOperation as PowerOperation] : []));
}
