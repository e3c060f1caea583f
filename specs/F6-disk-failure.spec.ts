/** F6: linux01's backing disk fails (device-mapper error target), later restored and reattached. */
import { diskFailure } from '../harness/index.js';
import { catalogueSpec } from './support/catalogue.js';

catalogueSpec({
  id: 'F6', name: "linux01's backing disk fails",
  expectation: "DRBD detaches and serves through linux02's disk; nothing in heartbeat v1 notices",
  fault: () => diskFailure(30), awaitFailover: false,
});
