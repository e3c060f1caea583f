import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { ACCEPTANCE_DIR, PROJECT_DIR, SCHEMAS_DIR } from '../support/paths.js';
import { acceptanceSchema, jsonSchemas, parseShape, profileSchema, topologySchema } from './schemas.js';
import { loadTopology } from './topology.js';

const read = (file: string) => JSON.parse(readFileSync(file, 'utf8'));

describe('the configuration files\' schemas', () => {
  it('accept the files as they are, each naming its JSON Schema', () => {
    const files = [
      [join(PROJECT_DIR, 'topology.json'), topologySchema, './schemas/topology.schema.json'],
      [join(PROJECT_DIR, 'topology.hardened.json'), profileSchema, './schemas/profile.schema.json'],
      [join(ACCEPTANCE_DIR, 'guide.json'), acceptanceSchema, '../schemas/acceptance.schema.json'],
      [join(ACCEPTANCE_DIR, 'hardened.json'), acceptanceSchema, '../schemas/acceptance.schema.json'],
    ] as [string, z.ZodType, string][];
    for (const [file, schema, ref] of files) {
      const raw = read(file);
      expect(() => parseShape(schema, raw, file)).not.toThrow();
      expect(raw.$schema, file).toBe(ref);
    }
  });

  it('refuse an unknown key in one line: the file, the key, its value, the keys that belong there', () => {
    const t = read(join(PROJECT_DIR, 'topology.json'));
    expect(() => parseShape(topologySchema, { ...t, network: { ...t.network, vipp: '192.168.211.121' } }, 'topology.json'))
      .toThrow('topology.json: network.vipp = "192.168.211.121": unknown key (the keys there are: cidr, hostAddress, vip, interface); a misspelt key would be ignored, so it is refused');
    expect(() => parseShape(topologySchema, { ...t, nodes: [t.nodes[0], { ...t.nodes[1], adress: 'x' }] }, 't.json')).toThrow('t.json: nodes[1].adress = "x": unknown key (the keys there are: name, address)');
    expect(() => parseShape(topologySchema, { ...t, extra: 1 }, 't.json')).toThrow('t.json: extra = 1: unknown key (the keys there are: prefix, network, nodes');
    const h = read(join(PROJECT_DIR, 'topology.hardened.json'));
    expect(() => parseShape(profileSchema, { ...h, heartbeat: { ...h.heartbeat, timming: {} } }, 'p.json')).toThrow('p.json: heartbeat.timming = {}: unknown key');
    const a = read(join(ACCEPTANCE_DIR, 'guide.json'));
    expect(() => parseShape(acceptanceSchema, { ...a, accepted: [{ ...a.accepted[0], maxSecond: 3 }] }, 'a.json')).toThrow('a.json: accepted[0].maxSecond = 3: unknown key');
    expect(() => parseShape(topologySchema, [], 't.json')).toThrow('t.json: (root) = []: must be a JSON object');
  });

  it('are what loadTopology enforces: a misspelt key in topology.json stops the run before any VM starts', () => {
    expect(() => loadTopology(join(PROJECT_DIR, 'harness/config/fixtures/topology-misspelt.json'))).toThrow(/topology-misspelt\.json: heartbeat\.autoFailbak = true: unknown key/);
  });

  it('are written to schemas/ as generated (npm run schemas)', () => {
    for (const [file, schema] of Object.entries(jsonSchemas())) expect(read(join(SCHEMAS_DIR, file)), `schemas/${file} is stale: run npm run schemas`).toEqual(JSON.parse(JSON.stringify(schema)));
  });
});
