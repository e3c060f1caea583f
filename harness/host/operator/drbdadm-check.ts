import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { cacheRoot } from '../box/box.js';
import { log } from '../../support/log.js';
import type { ConfigProblem, OperatorConfig } from '../../config/operator-config.js';
import type { ResolvedTopology } from '../../config/topology.js';

/**
 * The operator's DRBD resource through the box's own parser before any VM starts: drbdadm-84
 * of Debian 12's drbd-utils (what the nodes run for the 8.4 module), unpacked into the cache,
 * never installed on the host, run once per node under that node's host name (a UTS namespace).
 */
export async function drbdadmProblems(config: OperatorConfig, t: ResolvedTopology): Promise<ConfigProblem[]> {
  if (process.getuid?.() !== 0) {
    log('config', 'drbdadm on the host needs root (a UTS namespace per node name): the procedure\'s P7 runs it on the nodes instead');
    return [];
  }
  const drbdadm = await drbdadm84();
  const scratch = mkdtempSync(join(tmpdir(), 'halab-drbd-'));
  try {
    const file = join(scratch, 'drbd.conf');
    writeFileSync(file, config.drbdConf);
    const problems: ConfigProblem[] = [];
    for (const node of t.nodes) {
      const result = await execa('unshare', ['-u', 'sh', '-c', `hostname ${node.name} && exec ${drbdadm} -c ${file} dump ${t.drbd.resource}`], { reject: false, all: true });
      if (result.exitCode === 0) continue;
      problems.push(...parseDrbdadmErrors(String(result.all), node.name));
    }
    return problems;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** drbdadm's complaints (`drbd.conf:5: Parse error: ';' expected, …`) as problems of the operator's file and line. */
export function parseDrbdadmErrors(output: string, node: string): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const lines = output.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^\S*drbd\.conf:(\d+): (.*)$/.exec(lines[i]);
    if (!m) continue;
    const more = lines.slice(i + 1).filter((l) => /^\s/.test(l)).slice(0, 2).map((l) => l.trim());
    problems.push({ file: 'drbd.conf', line: Number(m[1]), message: `drbdadm (as ${node}): ${[m[2].trim(), ...more].join(' ')}`, fix: 'correct it: the nodes\' drbdadm refuses the file' });
  }
  if (!problems.length) problems.push({ file: 'drbd.conf', message: `drbdadm (as ${node}) refuses it: ${output.trim().split('\n').slice(-3).join(' ')}`, fix: 'correct it: the nodes\' drbdadm refuses the file' });
  return problems;
}

/** drbdadm-84 from Debian's drbd-utils, downloaded once into the cache (apt-get download, dpkg -x). */
async function drbdadm84(): Promise<string> {
  const dir = join(cacheRoot(), 'tools', 'drbd-utils');
  const binary = join(dir, 'lib', 'drbd', 'drbdadm-84');
  if (existsSync(binary)) return binary;
  log('config', 'fetching Debian\'s drbd-utils to check drbd.conf with the nodes\' drbdadm (unpacked into the cache, not installed)');
  const download = mkdtempSync(join(tmpdir(), 'halab-drbd-utils-'));
  try {
    let fetched = await execa('apt-get', ['download', 'drbd-utils'], { cwd: download, reject: false, all: true });
    if (fetched.exitCode !== 0) {
      await execa('apt-get', ['update', '-q'], { reject: false });
      fetched = await execa('apt-get', ['download', 'drbd-utils'], { cwd: download, reject: false, all: true });
    }
    const deb = readdirSync(download).find((f) => f.endsWith('.deb'));
    if (!deb) throw new Error(`apt-get download drbd-utils failed (exit ${fetched.exitCode}): ${String(fetched.all).trim().split('\n').slice(-2).join(' ')}`);
    mkdirSync(dir, { recursive: true });
    await execa('dpkg', ['-x', join(download, deb), dir]);
    return binary;
  } finally {
    rmSync(download, { recursive: true, force: true });
  }
}
