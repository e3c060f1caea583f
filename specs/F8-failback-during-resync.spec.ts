/** F8: auto_failback while linux01 is still resyncing, then linux02 (the only up-to-date disk) loses power. */
import { failbackDuringResync, primaryOnInconsistentChecker } from '../harness/index.js';
import { catalogueSpec } from './support/catalogue.js';

catalogueSpec({
  id: 'F8', name: 'failback during resync, then linux02 dies',
  expectation: 'linux01 is left with Inconsistent data under the service',
  fault: () => failbackDuringResync(), awaitFailover: false,
  checkers: [primaryOnInconsistentChecker()],
});
