/** F2: linux01's lab NIC down (cable pulled), then up again. */
import { nicDown } from '../harness/index.js';
import { catalogueSpec } from './support/catalogue.js';

catalogueSpec({
  id: 'F2', name: "linux01's lab NIC down",
  expectation: 'linux02 takes over; on heal, likely StandAlone',
  fault: () => nicDown(undefined, 60), awaitFailover: true, mayDiverge: true,
});
