/** F8: auto_failback while linux01 is still resyncing, then linux02 (the only up-to-date disk) loses power. */
import { CATALOGUE } from '../harness/index.js';
import { catalogueSpec } from './support/catalogue.js';

catalogueSpec(CATALOGUE.F8);
