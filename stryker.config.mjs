// Mutation testing of the code that decides verdicts (`npm run mutation`): a survivor is a
// change to a checker, the history or a parser that no unit test notices.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.config.ts' },
  mutate: [
    'harness/checking/history/history.ts',
    'harness/checking/history/ha-log.ts',
    'harness/checking/history/witness.ts',
    'harness/checking/clients/ha-log-reader.ts',
    'harness/checking/clients/power-switch-reader.ts',
    'harness/checking/checkers/*.ts',
    'harness/checking/clients/observation-log.ts',
    'harness/checking/report/metrics.ts',
    'harness/checking/signoff/*.ts',
    'harness/cluster/heartbeat/holdings.ts',
    'harness/cluster/mysql/evidence.ts',
    'harness/cluster/drbd/proc-drbd.ts',
    'harness/cluster/drbd/metadata.ts',
    'harness/cluster/node/command-policy.ts',
    'harness/checking/audit/steady-state.ts',
    '!**/*.test.ts',
    '!**/*.fixture.ts',
  ],
  coverageAnalysis: 'perTest',
  concurrency: 2,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 95, low: 90, break: 90 },
  tempDirName: '.stryker-tmp',
  // The lab's outputs and state are not the code under test (and reports/ can hold thousands of files).
  ignorePatterns: ['/reports', '/.halab', '/.allure-history', '/.vagrant'],
  cleanTempDir: 'always',
};
