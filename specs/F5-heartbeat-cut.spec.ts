/** F5: heartbeat's packets cut between the nodes while DRBD stays connected. */
import { CATALOGUE } from './support/catalogue-entries.js';
import { catalogueSpec } from './support/catalogue.js';

catalogueSpec(CATALOGUE.F5);
