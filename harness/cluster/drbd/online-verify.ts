import type { LabNode } from '../node/node.js';
import type { ResolvedTopology } from '../../config/topology.js';
import { waitFor } from '../../support/wait.js';
import { drbdMinor } from './drbd.js';
import { parseProcDrbd, resourceState, type DrbdState } from './proc-drbd.js';

/** What DRBD's online verify said: its kernel lines since it started, read. */
export interface VerifyOutcome {
  /** "Online verify done" was logged. */
  done: boolean;
  /** 4 KiB blocks whose checksums differ between the nodes. */
  outOfSyncBlocks: number;
  /** Each differing range as the kernel logged it (`start=…, size=… (sectors)`). */
  ranges: string[];
}

/**
 * Reads DRBD 8.4's online verify lines: `Out of sync: start=…, size=… (sectors)` per differing
 * range, `Online verify done (total …)`, then `Online verify found N 4k block out of sync!` only
 * when N > 0.
 */
export function parseVerifyLines(lines: readonly string[]): VerifyOutcome {
  let done = false;
  let outOfSyncBlocks = 0;
  const ranges: string[] = [];
  for (const line of lines) {
    const range = /Out of sync: (start=\d+, size=\d+ \(sectors\))/.exec(line);
    if (range) ranges.push(range[1]);
    if (/Online verify done/.test(line)) done = true;
    const found = /Online verify found (\d+) 4k block/.exec(line);
    if (found) outOfSyncBlocks = Number(found[1]);
  }
  return { done, outOfSyncBlocks, ranges };
}

/** The node's kernel lines of DRBD, and its /proc/drbd, in one round trip. */
async function kernelAndState(node: LabNode, t: ResolvedTopology): Promise<{ lines: string[]; state: DrbdState }> {
  const result = await node.run("log=$(dmesg) || exit 3; printf '%s\\n' \"$log\" | grep drbd; echo '--- /proc/drbd'; cat /proc/drbd");
  if (result.code !== 0 && result.code !== 1) throw new Error(`${node.name}: dmesg failed (exit ${result.code}): ${result.stderr.trim()}`);
  const [kernel, proc = ''] = result.stdout.split('--- /proc/drbd\n');
  return {
    lines: kernel.split('\n').filter(Boolean).map((line) => line.replace(/^\[[^\]]*\]\s*/, '')),
    state: resourceState(parseProcDrbd(proc), drbdMinor(t)),
  };
}

/**
 * DRBD's online verify from `source` against its peer: every block's checksum compared, the
 * two disks proven identical or the differing ranges named. The guide's configuration has no
 * verify-alg: it is set at runtime on both nodes for the verify and taken back with `drbdadm
 * adjust` (the configuration file again), whatever happens.
 */
export async function verifyOnline(source: LabNode, peer: LabNode, t: ResolvedTopology, timeoutSeconds = 300): Promise<VerifyOutcome & { seconds: number; lines: string[] }> {
  const resource = t.drbd.resource;
  const before = (await kernelAndState(source, t)).lines.length;
  const started = Date.now();
  try {
    for (const node of [source, peer]) await node.succeed(`drbdadm net-options --verify-alg=crc32c ${resource}`);
    await source.succeed(`drbdadm verify ${resource}`);
    return await waitFor(`the online verify from ${source.name} reports its end`, async () => {
      const { lines, state } = await kernelAndState(source, t);
      const outcome = parseVerifyLines(lines.slice(before));
      if (!outcome.done || /^Verify/.test(state.cs)) throw new Error(`still ${state.cs}`);
      return { ...outcome, seconds: (Date.now() - started) / 1000, lines: lines.slice(before) };
    }, { timeoutSeconds, intervalSeconds: 2 });
  } finally {
    for (const node of [source, peer]) await node.run(`drbdadm adjust ${resource}`).catch(() => {});
  }
}
