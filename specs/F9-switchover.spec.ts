/** F9: graceful switchover under load: hb_standby on linux01, later on linux02. */
import { CATALOGUE } from '../harness/index.js';
import { catalogueSpec } from './support/catalogue.js';

catalogueSpec(CATALOGUE.F9);
