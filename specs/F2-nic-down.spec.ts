/** F2: linux01's lab NIC down (cable pulled), then up again. */
import { CATALOGUE } from '../harness/index.js';
import { catalogueSpec } from './support/catalogue.js';

catalogueSpec(CATALOGUE.F2);
