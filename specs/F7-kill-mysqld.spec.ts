/** F7: mariadbd killed on the active node. */
import { CATALOGUE } from '../harness/index.js';
import { catalogueSpec } from './support/catalogue.js';

catalogueSpec(CATALOGUE.F7);
