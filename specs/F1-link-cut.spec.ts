/** F1: the link between the nodes cut while both still reach the ping node and the clients. */
import { linkCut } from '../harness/index.js';
import { catalogueSpec } from './support/catalogue.js';

catalogueSpec({
  id: 'F1', name: 'link between the nodes cut',
  expectation: 'linux02 takes over while linux01 keeps serving: two Primaries, two VIP holders; on heal DRBD reports split brain',
  fault: () => linkCut(60), awaitFailover: true, mayDiverge: true,
});
