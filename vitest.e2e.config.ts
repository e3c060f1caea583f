import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { defineConfig } from 'vitest/config';

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
    // One cluster, shared state: spec files run one after another, in name order.
    fileParallelism: false,
    sequence: { concurrent: false, sequencer: GuideOrder },
    testTimeout: 10 * 60_000,
    hookTimeout: 15 * 60_000,
    setupFiles: ['allure-vitest/setup'],
    reporters: [
      'verbose',
      ['allure-vitest/reporter', { resultsDir: 'reports/allure-results' }],
      ['junit', { outputFile: 'reports/junit.xml' }],
    ],
  },
});
