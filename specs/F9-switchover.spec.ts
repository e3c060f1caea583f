/** F9: graceful switchover under load: hb_standby on linux01, later on linux02. */
import { switchover } from '../harness/index.js';
import { catalogueSpec } from './support/catalogue.js';

catalogueSpec({
  id: 'F9', name: 'graceful switchover under load',
  expectation: 'no acknowledged write lost, one owner at a time',
  fault: () => switchover(20), awaitFailover: true,
});
