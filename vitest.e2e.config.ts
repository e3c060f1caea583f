import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { defineConfig } from 'vitest/config';
import { ALLURE_RESULTS_DIR, JUNIT_FILE } from './harness/support/paths.js';

/** The guide's order: specs/NN-*.spec.ts run by their number, never by cached duration. */
class GuideOrder extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    return [...files].sort((a, b) => a.moduleId.localeCompare(b.moduleId));
  }
}

// The specs need the lab's VMs: `npm run e2e` (harness/cli/e2e.ts) brings them up, then runs
// this config inside the lab, passing the cluster's endpoints in HALAB_CLUSTER_JSON.
export default defineConfig({
  test: {
    include: ['specs/**/*.spec.ts'],
    // The seeded random schedule runs when `npm run e2e -- --nemesis random` asks for it (it sets the seed).
    exclude: process.env.HALAB_NEMESIS_SEED ? [] : ['specs/N1-*'],
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
      // reports/ for the guide's profile, reports/<profile>/ for another (HALAB_PROFILE).
      ['allure-vitest/reporter', { resultsDir: ALLURE_RESULTS_DIR }],
      ['junit', { outputFile: JUNIT_FILE }],
    ],
  },
});
