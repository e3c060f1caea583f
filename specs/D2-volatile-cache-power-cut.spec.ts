/**
 * D2: durability when a power cut empties the disks' write cache. D1's burst power cuts of
 * linux01, and the same of linux02 (the secondary), on data disks that keep written blocks in a volatile cache until the guest flushes
 * them (`--disks volatile`: nbdkit's cache filter in front of each VM's disk for VG); the cut
 * discards the cache with the power, as a real disk's loses what it had not written. DRBD's
 * disk-flushes and md-flushes, ext3's barriers and MariaDB's flush settings decide what survives:
 * with the guide's, no acknowledged write may be lost, on linux02 that takes over nor on linux01
 * when auto_failback brings the service home. The secondary's cut is where DRBD's own flushes
 * count: the kernel's DRBD 8.4 turns the file system's empty flushes into DRBD barriers, which the
 * secondary flushes its disk for only with `disk-flushes`; without, it acknowledges the barrier with
 * the writes still in its cache, the primary forgets them, and a cut loses them from linux02's disk
 * for good (both disks are compared block for block after each repetition). Each repetition reports
 * the writes acknowledged in the last second before the cut, how many survived, and what the cut
 * discarded.
 */
import { describe, expect, inject, it } from 'vitest';
import * as allure from 'allure-js-commons';
import { cacheLosses, log, recordMetric, replicaCheck, verifyOnline, type CheckResult, type DurabilityAtCut, type ScenarioRun } from '../harness/index.js';
import { useLab } from './support/fixture.js';
import { burstRepetition, burstRepetitions, burstSeed, describeAtCut } from './support/burst.js';

const lab = useLab();
const burst = burstSeed();
const reps = burstRepetitions();
const { disks } = inject('run');

/**
 * A block the cut lost from a node's disk that neither DRBD's activity log nor its bitmap covered
 * is never resynced: that node serves it stale after the next failover, which no read of the ledger
 * may show. DRBD's online verify compares every block of the two disks.
 */
async function bothDisksAlike(): Promise<CheckResult> {
  const [primary, secondary] = [lab.cluster.primary, lab.cluster.secondary];
  const comparison = await verifyOnline(primary, secondary, lab.cluster.topology).catch((error: Error) => ({ error: error.message.split('\n')[0] }));
  const where = `at the end of the repetition (online verify from ${primary.name})`;
  await allure.attachment('DRBD online verify', JSON.stringify(comparison, null, 2), 'application/json');
  if (!('error' in comparison)) log('D2', `online verify: ${comparison.outOfSyncBlocks} block(s) out of sync in ${comparison.seconds.toFixed(0)} s${comparison.ranges.length ? `: ${comparison.ranges.join('; ')}` : ''}`);
  return replicaCheck(comparison, where);
}

/** One repetition's report: the cut's figures in metrics.json and the console, and whose cache it emptied. */
const reportCut = (rep: number, node: () => string) => (run: ScenarioRun, at: DurabilityAtCut | undefined) => {
  const [loss] = cacheLosses(run.history);
  recordMetric(lab.cluster.reports.metrics, run.name, 'the cut: writes acknowledged in its last second, and the cache it emptied', {
    acknowledged: at?.acknowledged ?? -1, survived: at?.survived ?? -1,
    discardedWrites: loss?.writes ?? -1, discardedBlocks: loss?.blocks ?? -1, discardedBytes: loss?.bytes ?? -1,
  });
  log('D2', `${describeAtCut(rep, at)}; ${loss ? `the cut discarded ${loss.writes} write(s), ${loss.blocks} block(s) (${loss.bytes} bytes) of ${loss.node}'s cache${loss.sinceFlush ? ` since its flush at ${loss.sinceFlush}` : ''}` : 'no cache loss recorded'}`);
  expect(cacheLosses(run.history).map((l) => l.node), `the power cut emptied the volatile cache of ${node()}'s data disk, and no other`).toEqual([node()]);
};

describe(`D2: power cuts that empty the disks' write cache (seed ${burst.seed})`, () => {
  // Without a volatile cache, D2 is D1 again and would pass without testing what it is for.
  const volatileDisks = () => expect(disks, 'D2 needs data disks with a volatile write cache: npm run e2e -- --disks volatile D2-').toBe('volatile');
  for (let rep = 1; rep <= reps; rep++) {
    it(`repetition ${rep}/${reps}: linux01 loses power and its disk's unflushed writes mid-burst; every write acknowledged before the cut survives`, async () => {
      volatileDisks();
      if (rep === 1) log('D2', `seed ${burst.seed}: the same cuts again with npm run e2e -- --seed ${burst.seed}${burst.profile === 'guide' ? '' : ` --profile ${burst.profile}`} D2-`);
      await burstRepetition(lab, 'D2', `volatile-cache power cut ${rep} of ${reps}`, burst, reportCut(rep, () => lab.cluster.primary.name), async () => [await bothDisksAlike()]);
    });
  }
  for (let rep = 1; rep <= reps; rep++) {
    it(`repetition ${rep}/${reps}: linux02, the secondary, loses power and its disk's unflushed writes mid-burst; linux01 serves on, and linux02's disk comes back block for block linux01's`, async () => {
      volatileDisks();
      await burstRepetition(lab, 'D2', `volatile-cache power cut of the secondary ${rep} of ${reps}`, burst, reportCut(rep, () => lab.cluster.secondary.name), async () => [await bothDisksAlike()], 'secondary');
    });
  }
});
