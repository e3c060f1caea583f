import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TOPOLOGY_FILE } from '../support/paths.js';
import { parseClusterInfo } from './cluster.js';
import { loadTopology, validateTopology } from '../config/topology.js';
import { runContext } from '../config/run-context.js';

const topology = validateTopology(JSON.parse(readFileSync(TOPOLOGY_FILE, 'utf8')));
const endpoint = { host: 'linux01', hostName: '192.168.121.10', user: 'vagrant', port: 22, identityFiles: ['/root/.vagrant.d/insecure_private_key'] };
const info = () => ({
  topology,
  nodes: { linux01: { endpoint, domain: 'ha-lab-linux01' }, linux02: { endpoint: { ...endpoint, host: 'linux02' }, domain: 'ha-lab-linux02' } },
  run: runContext({ profile: 'hardened', variant: 'external-md', seed: 7 }),
});

describe('parseClusterInfo', () => {
  it('returns the validated topology and each node\'s endpoint and domain', () => {
    const parsed = parseClusterInfo(JSON.stringify(info()), 'cluster.json');
    expect(parsed.nodes.linux02).toEqual({ endpoint: { ...endpoint, host: 'linux02' }, domain: 'ha-lab-linux02' });
    expect(parsed.topology.primary.name).toBe('linux01');
  });

  it('carries the run context the CLI wrote, and refuses a file without one or with a wrong field', () => {
    const { run } = parseClusterInfo(JSON.stringify(info()), 'cluster.json');
    expect(run).toMatchObject({ profile: 'hardened', variant: 'external-md', seed: 7 });
    expect(run.reportsDir).toMatch(/\/reports\/hardened$/);
    expect(run.acceptanceFile).toMatch(/\/acceptance\/hardened\.json$/);
    expect(() => parseClusterInfo(JSON.stringify({ ...info(), run: undefined }), 'c.json')).toThrow('c.json: run: no run context (written by an older harness?)');
    expect(() => parseClusterInfo(JSON.stringify({ ...info(), run: { ...info().run, variant: 'x' } }), 'c.json')).toThrow('c.json: run.variant "x": no such variant');
    expect(() => parseClusterInfo(JSON.stringify({ ...info(), run: { ...info().run, profile: 'gone' } }), 'c.json')).toThrow('c.json: run.profile "gone": no such profile');
    expect(() => parseClusterInfo(JSON.stringify({ ...info(), run: { ...info().run, seed: -1 } }), 'c.json')).toThrow('c.json: run.seed = -1 is not a seed');
    expect(() => parseClusterInfo(JSON.stringify({ ...info(), run: { ...info().run, reportsDir: '' } }), 'c.json')).toThrow('c.json: run.reportsDir = "" is not a path');
    expect(() => parseClusterInfo(JSON.stringify({ ...info(), run: { ...info().run, nemesis: { durationSeconds: 0 } } }), 'c.json')).toThrow('c.json: run.nemesis = {"durationSeconds":0} is not { durationSeconds }');
  });

  it('keeps the profile the cluster was built with (the hardened one loaded again from its file)', () => {
    const hardened = loadTopology(TOPOLOGY_FILE, 'hardened');
    expect(parseClusterInfo(JSON.stringify({ ...info(), topology: hardened }), 'c.json').topology.profile).toEqual(hardened.profile);
    expect(parseClusterInfo(JSON.stringify(info()), 'c.json').topology.profile).toEqual({ name: 'guide' });
    expect(() => parseClusterInfo(JSON.stringify({ ...info(), topology: { ...hardened, profile: { name: 'gone' } } }), 'c.json')).toThrow('c.json (topology.profile.name) "gone": no such profile');
  });

  it('refuses a file that is not JSON, naming the file and what to do', () => {
    expect(() => parseClusterInfo('{', '.halab/cluster.json')).toThrow(/^\.halab\/cluster\.json: not JSON .*npm run e2e/);
  });

  it('refuses a topology that does not validate, a node without an entry, a bad domain or endpoint', () => {
    expect(() => parseClusterInfo(JSON.stringify({ ...info(), topology: { ...topology, prefix: 'X' } }), 'c.json')).toThrow('c.json (topology): prefix = "X"');
    const { linux02: _, ...onlyOne } = info().nodes;
    expect(() => parseClusterInfo(JSON.stringify({ ...info(), nodes: onlyOne }), 'c.json')).toThrow('c.json: no entry for node linux02');
    expect(() => parseClusterInfo(JSON.stringify({ ...info(), nodes: { ...info().nodes, linux01: { endpoint, domain: '' } } }), 'c.json')).toThrow('c.json: nodes.linux01.domain = "" is not a libvirt domain name');
    for (const [field, value] of [['port', 0], ['hostName', ''], ['identityFiles', []], ['user', 7]] as const) {
      const bad = { ...info(), nodes: { ...info().nodes, linux01: { endpoint: { ...endpoint, [field]: value }, domain: 'd' } } };
      expect(() => parseClusterInfo(JSON.stringify(bad), 'c.json'), field).toThrow(`c.json: nodes.linux01.endpoint: ${field} = ${JSON.stringify(value)} is not valid`);
    }
    expect(() => parseClusterInfo(JSON.stringify({ ...info(), nodes: { ...info().nodes, linux01: { endpoint: null, domain: 'd' } } }), 'c.json')).toThrow('not an SSH endpoint');
  });
});
