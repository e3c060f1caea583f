import type { LabNode } from '../node/node.js';
import type { ResolvedTopology } from '../../config/topology.js';
import { parseSamplerLine, samplerScript, type Holdings } from './holdings.js';

/** One round of the sampler: what the node holds now. One SSH round trip, the same reading as the observer's. */
export async function readHoldings(node: LabNode, t: ResolvedTopology): Promise<Holdings> {
  const line = parseSamplerLine((await node.succeed(samplerScript(t, 0, 0))).trim().split('\n')[0]);
  if (!line?.state) throw new Error(`${node.name}: the resource sampler printed no state`);
  return line.state;
}
