/** F5: heartbeat's packets cut between the nodes while DRBD stays connected. */
import { heartbeatCut } from '../harness/index.js';
import { catalogueSpec } from './support/catalogue.js';

catalogueSpec({
  id: 'F5', name: "heartbeat's packets cut",
  expectation: "linux02's takeover fails at drbddisk; no double owner",
  fault: () => heartbeatCut(45), awaitFailover: false, mayDiverge: true,
  // DRBD stayed connected, so nothing needs recovering, but heartbeat reacts to the heal about 20 s
  // later ("returning after partition": both nodes give the group up and restart): a scenario
  // that ended before that would read the ledger in the outage it causes (CI, 2026-11-27).
  quietSeconds: 60,
});
