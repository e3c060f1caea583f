/** F5: heartbeat's packets cut between the nodes while DRBD stays connected. */
import { CATALOGUE } from '../harness/index.js';
import { catalogueSpec } from './support/catalogue.js';

catalogueSpec(CATALOGUE.F5);
