/** F7: mariadbd killed on the active node. */
import { killMysqld } from '../harness/index.js';
import { catalogueSpec } from './support/catalogue.js';

catalogueSpec({
  id: 'F7', name: 'mysqld killed on the active node',
  expectation: 'no monitoring in heartbeat v1: whatever restarts it (or not) is reported',
  fault: () => killMysqld(undefined, 30), awaitFailover: false,
});
