import * as allure from 'allure-js-commons';
import type { Reporter } from '../../support/reporter.js';

/** Steps and attachments into the running test's Allure result. */
export const allureReporter: Reporter = {
  step: async (name, work) => allure.step(name, work),
  attach: async (name, content, contentType) => allure.attachment(name, content, contentType),
};
