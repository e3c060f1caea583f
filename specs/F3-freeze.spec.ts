/** F3: linux01 frozen (virsh suspend) longer than deadtime, then resumed. */
import { CATALOGUE } from '../harness/index.js';
import { catalogueSpec } from './support/catalogue.js';

catalogueSpec(CATALOGUE.F3);
