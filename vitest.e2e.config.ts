import { readFileSync } from 'node:fs';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { defineConfig } from 'vitest/config';
import { parseClusterInfo } from './harness/cluster/cluster.js';
import { reportFiles, type RunContext } from './harness/config/run-context.js';
import { CLUSTER_FILE } from './harness/support/paths.js';

/** The guide's order: specs/NN-*.spec.ts run by their number, never by cached duration. */
class GuideOrder extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    return [...files].sort((a, b) => a.moduleId.localeCompare(b.moduleId));
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** This run's context, as the e2e CLI wrote it into the cluster file: `inject('run')` in a spec. */
    run: RunContext;
  }
}

// The specs need the lab's VMs: `npm run e2e` (harness/host/cli/e2e.ts) brings them up, writes the
// cluster file (how to reach the nodes, and this run's context), then runs this config inside the lab.
const clusterFile = process.env.HALAB_CLUSTER_JSON ?? CLUSTER_FILE;
const { run } = parseClusterInfo(readFileSync(clusterFile, 'utf8'), clusterFile);
const reports = reportFiles(run.reportsDir);

export default defineConfig({
  test: {
    include: ['specs/**/*.spec.ts'],
    // The seeded random schedule runs when the run has one (`npm run e2e -- --nemesis random`); D2
    // when the data disks have a volatile cache to lose (`--disks volatile`).
    exclude: [...(run.nemesis ? [] : ['specs/N1-*']), ...(run.disks === 'volatile' ? [] : ['specs/D2-*'])],
    provide: { run },
    // One cluster, shared state: spec files run one after another, in name order.
    fileParallelism: false,
    sequence: { concurrent: false, sequencer: GuideOrder },
    // A catalogue scenario is bounded by its own waits (fault, recovery, settle 150 s, final read
    // 60 s, the blog's read-back 90 s): ~12 minutes when the service does not come back. A test
    // timeout below that would leave the scenario running under the next spec (seen in F1).
    testTimeout: 20 * 60_000,
    hookTimeout: 15 * 60_000,
    setupFiles: ['allure-vitest/setup'],
    // A hardened profile's STONITH device, the lab's power switch, serves while the specs run.
    globalSetup: ['specs/support/power-switch.global.ts'],
    reporters: [
      'verbose',
      // The run's own reports folder: reports/ for the guide's profile, reports/<profile>/ for another.
      ['allure-vitest/reporter', { resultsDir: reports.allureResults }],
      ['junit', { outputFile: reports.junit }],
    ],
  },
});
