/** F7: mariadbd killed on the active node. */
import { CATALOGUE } from './support/catalogue-entries.js';
import { catalogueSpec } from './support/catalogue.js';

catalogueSpec(CATALOGUE.F7);
