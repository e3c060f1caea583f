import type { LabNode } from '../node/node.js';
import type { ResolvedTopology } from '../../config/topology.js';
import { sleep } from '../../support/time.js';
import { drbdState } from './drbd.js';

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

/** The node's kernel lines of the lab's DRBD device. */
async function kernelLines(node: LabNode): Promise<string[]> {
  const result = await node.run('dmesg');
  if (result.code !== 0) throw new Error(`${node.name}: dmesg failed (exit ${result.code}): ${result.stderr.trim()}`);
  return result.stdout.split('\n').filter((line) => /drbd/.test(line)).map((line) => line.replace(/^\[[^\]]*\]\s*/, ''));
}

/**
 * DRBD's online verify from `source` against its peer: every block's checksum compared, the
 * two disks proven identical or the differing ranges named. The guide's configuration has no
 * verify-alg: it is set at runtime on both nodes for the verify and taken back with `drbdadm
 * adjust` (the configuration file again), whatever happens.
 */
export async function verifyOnline(source: LabNode, peer: LabNode, t: ResolvedTopology, timeoutSeconds = 300): Promise<VerifyOutcome & { seconds: number; lines: string[] }> {
  const resource = t.drbd.resource;
  const before = (await kernelLines(source)).length;
  const started = Date.now();
  try {
    for (const node of [source, peer]) await node.succeed(`drbdadm net-options --verify-alg=crc32c ${resource}`);
    await source.succeed(`drbdadm verify ${resource}`);
    for (;;) {
      const lines = (await kernelLines(source)).slice(before);
      const outcome = parseVerifyLines(lines);
      const state = await drbdState(source, t);
      if (outcome.done && !/^Verify/.test(state.cs)) return { ...outcome, seconds: (Date.now() - started) / 1000, lines };
      if (Date.now() - started > timeoutSeconds * 1000) throw new Error(`online verify from ${source.name} not done within ${timeoutSeconds} s (${state.cs})`);
      await sleep(2000);
    }
  } finally {
    for (const node of [source, peer]) await node.run(`drbdadm adjust ${resource}`).catch(() => {});
  }
}
