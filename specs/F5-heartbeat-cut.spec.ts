/** F5: heartbeat's packets cut between the nodes while DRBD stays connected. */
import { heartbeatCut } from '../harness/index.js';
import { catalogueSpec } from './support/catalogue.js';

catalogueSpec({
  id: 'F5', name: "heartbeat's packets cut",
  expectation: "linux02's takeover fails at drbddisk; no double owner",
  fault: () => heartbeatCut(45), awaitFailover: false, mayDiverge: true,
});
