import type { ResolvedTopology } from '../../config/topology.js';
import { samplerScript } from '../heartbeat/holdings.js';
import type { CommandResult, LabNode } from '../node/node.js';
import { readNodeConfig } from './deployed-config.js';

/** What the audit asks first: that sudo runs without a password (every read below needs root). */
export const SUDO_CHECK = 'true';
/** The node's clock against the harness's (the observers' offset). */
export const CLOCK_COMMAND = 'echo ${EPOCHREALTIME/./}';

/** Unusual numbers that stand for the sampler's interval and duration in its pattern. */
const INTERVAL_MARK = 7919;
const SECONDS_MARK = 104729;

/**
 * Every command the read-only audit may send to `node`, as exact strings and patterns: the
 * configuration readers' own commands, recorded by running them against a node that answers
 * nothing (so the list is what the code sends, not a copy of it), the sampler the observers
 * stream (its interval and duration as numbers), the clock and the lab NIC's MAC for the witness.
 */
export async function auditAllowlist(t: ResolvedTopology, node: string): Promise<{ exact: string[]; patterns: RegExp[] }> {
  const recorded: string[] = [];
  const answer = (command: string): CommandResult => {
    recorded.push(command);
    return { command, stdout: '', stderr: '', code: 0 };
  };
  const silent = { name: node, labInterface: t.network.interface, run: async (c: string) => answer(c), succeed: async (c: string) => answer(c).stdout } as unknown as LabNode;
  await readNodeConfig(silent, t);
  const sampler = samplerScript(t, INTERVAL_MARK, SECONDS_MARK).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const samplerPattern = new RegExp(`^${sampler.replace(String(INTERVAL_MARK * 1000), '\\d+').replace(String(SECONDS_MARK), '\\d+')}$`);
  return {
    exact: [...new Set([SUDO_CHECK, CLOCK_COMMAND, `cat /sys/class/net/${t.network.interface}/address`, ...recorded])],
    patterns: [samplerPattern],
  };
}
