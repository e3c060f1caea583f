/** F4: DRBD's replication cut while the clients write, then linux01 loses power. */
import { replicationCutThenCrash } from '../harness/index.js';
import { catalogueSpec } from './support/catalogue.js';

catalogueSpec({
  id: 'F4', name: 'replication cut, then linux01 crashes',
  expectation: 'linux02 promotes its stale disk: writes acknowledged during the cut are lost',
  fault: () => replicationCutThenCrash(20), awaitFailover: true, mayDiverge: true,
});
