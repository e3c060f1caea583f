/** What topology.json and a profile beside it both speak of, below both (neither imports the other for it). */
export interface NodeSpec {
  name: string;
  address: string;
}

/** A topology or profile file refused: the file, the field, the value and what to do, in one line. */
export class TopologyError extends Error {
  override name = 'TopologyError';
}
