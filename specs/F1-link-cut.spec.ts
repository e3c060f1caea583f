/** F1: the link between the nodes cut while both still reach the ping node and the clients. */
import { CATALOGUE } from '../harness/index.js';
import { catalogueSpec } from './support/catalogue.js';

catalogueSpec(CATALOGUE.F1);
