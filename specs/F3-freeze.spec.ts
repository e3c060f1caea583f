/** F3: linux01 frozen (virsh suspend) longer than deadtime, then resumed. */
import { freeze } from '../harness/index.js';
import { catalogueSpec } from './support/catalogue.js';

catalogueSpec({
  id: 'F3', name: 'linux01 frozen',
  expectation: 'linux01 wakes up still holding everything while linux02 has taken over',
  fault: () => freeze(undefined, 45), awaitFailover: true, mayDiverge: true,
});
