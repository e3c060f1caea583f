import { defineConfig } from 'vitest/config';

// Two projects: `unit` runs anywhere in seconds; `e2e` needs the lab's VMs and is started by
// `npm run e2e` (harness/cli/e2e.ts), which brings the VMs up first and passes their handles
// through HALAB_* environment variables.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['harness/**/*.test.ts', 'provision/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['specs/**/*.spec.ts'],
          // One cluster, shared state: specs run one after another, in file order.
          fileParallelism: false,
          sequence: { concurrent: false },
          testTimeout: 10 * 60_000,
          hookTimeout: 15 * 60_000,
          setupFiles: ['allure-vitest/setup'],
          reporters: [
            'verbose',
            ['allure-vitest/reporter', { resultsDir: 'reports/allure-results' }],
            ['junit', { outputFile: 'reports/junit.xml' }],
          ],
        },
      },
    ],
  },
});
