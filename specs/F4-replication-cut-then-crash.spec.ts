/** F4: DRBD's replication cut while the clients write, then linux01 loses power. */
import { CATALOGUE } from '../harness/index.js';
import { catalogueSpec } from './support/catalogue.js';

catalogueSpec(CATALOGUE.F4);
