/** F6: linux01's backing disk fails (device-mapper error target), later restored and reattached. */
import { CATALOGUE } from '../harness/index.js';
import { catalogueSpec } from './support/catalogue.js';

catalogueSpec(CATALOGUE.F6);
