import { z } from 'zod';
import { TopologyError } from './topology-error.js';

/**
 * The shape of every file an operator edits — topology.json, a profile beside it, an acceptance
 * file — as zod schemas: each field's type and range, and no key that is not named here (a
 * misspelt key is refused, not ignored). The JSON Schemas in schemas/ are generated from these
 * (`npm run schemas`), and the files name them in `$schema`, so editors complete and check them.
 * What spans several fields (an address inside the network, an LV that fits the disk) is checked
 * after the shape, by the loaders.
 */

const words = (pattern: RegExp, what: string) => {
  const error = `must be a string matching ${pattern}${what ? ` (${what})` : ''}`;
  return z.string({ error }).regex(pattern, { error });
};
const whole = (min: number, max: number) => {
  const error = `must be a whole number from ${min} to ${max}`;
  return z.int({ error }).min(min, { error }).max(max, { error });
};
const ipv4 = z.string({ error: 'is not an IPv4 address' }).regex(/^\d{1,3}(\.\d{1,3}){3}$/, { error: 'is not an IPv4 address' });
const cidr = z.string({ error: 'is not a network in CIDR form such as 192.168.211.0/24' }).regex(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/, { error: 'is not a network in CIDR form such as 192.168.211.0/24' });
const flag = z.boolean({ error: 'must be true or false' });
const schemaRef = z.string().optional().describe('the JSON Schema of this file, for editors');

export const topologySchema = z.strictObject({
  $schema: schemaRef,
  prefix: words(/^[a-z][a-z0-9-]{1,30}$/, 'the name every VM, network and volume of the lab carries').describe('the lab\'s name prefix'),
  network: z.strictObject({
    cidr: cidr.describe('the lab network, e.g. 192.168.211.0/24'),
    hostAddress: ipv4.describe("the host's address on the lab network: the guide's ping node"),
    vip: ipv4.describe('the virtual IP heartbeat moves'),
    interface: words(/^[a-z][a-z0-9]{1,14}$/, 'the guests\' lab NIC').describe("the guests' lab NIC (eth0 is Vagrant's)"),
  }),
  nodes: z.array(z.strictObject({
    name: words(/^[a-z][a-z0-9-]{0,62}$/, 'a plain host name: heartbeat matches `uname -n`'),
    address: ipv4,
  }), { error: 'must list exactly two nodes (primary first), as the guide does' }).length(2, { error: 'must list exactly two nodes (primary first), as the guide does' }),
  vm: z.strictObject({ memoryMiB: whole(512, 16384), cpus: whole(1, 8), dataDiskMiB: whole(64, 1024 * 1024) }),
  lvm: z.strictObject({
    vg: words(/^[A-Za-z][A-Za-z0-9_]*$/, ''), lv: words(/^[A-Za-z][A-Za-z0-9_]*$/, ''),
    extentMiB: whole(1, 1024).describe('a power of two'), lvMiB: whole(16, 1024 * 1024).describe('a multiple of extentMiB'),
  }),
  drbd: z.strictObject({
    resource: words(/^[A-Za-z][A-Za-z0-9_-]*$/, ''), device: words(/^\/dev\/drbd\d+$/, ''), port: whole(1024, 65535),
    protocol: words(/^[ABC]$/, ''), syncRate: words(/^\d+[KMG]$/, ''), alExtents: whole(7, 65534),
  }),
  heartbeat: z.strictObject({
    keepalive: whole(1, 3600), deadtime: whole(1, 3600), warntime: whole(1, 3600), initdead: whole(1, 3600), autoFailback: flag,
    auth: words(/^(sha1|md5|crc)$/, 'crc authenticates nothing: only to reproduce the guide verbatim'),
  }),
  wordpress: z.strictObject({ title: words(/^[^'"\\<>]{1,100}$/, ''), posts: whole(1, 100000), commentsPerPost: whole(0, 100) }),
  mysql: z.strictObject({
    mountPoint: words(/^\/[A-Za-z0-9_/-]+$/, ''), datadir: words(/^\/[A-Za-z0-9_/-]+$/, 'under mountPoint'),
    fsType: words(/^ext[234]$/, ''), database: words(/^[A-Za-z_][A-Za-z0-9_]*$/, ''),
  }),
  box: z.strictObject({ name: words(/^[a-z0-9-]+\/[a-z0-9.-]+$/, '') }),
}).describe('ha-lab topology: the one source of truth for names, addresses, the VIP, sizes and the DRBD resource');

const timing = z.strictObject({ keepalive: whole(1, 3600), warntime: whole(1, 3600), deadtime: whole(1, 3600), initdead: whole(1, 3600) });

export const profileSchema = z.strictObject({
  $schema: schemaRef,
  profile: z.string({ error: 'must be the name in the file\'s name' }).describe('the name in topology.<name>.json'),
  replicationLink: z.strictObject({
    interface: words(/^[a-z][a-z0-9]{1,14}$/, 'an interface name such as eth2'),
    cidr,
    addresses: z.record(z.string(), ipv4).describe('one host address per node of topology.json'),
  }).describe('a dedicated link between the nodes: DRBD\'s replication and heartbeat\'s second path'),
  drbd: z.strictObject({
    fencing: z.enum(['resource-only', 'resource-and-stonith'], { error: 'must be one of "resource-only", "resource-and-stonith" (both with dopd)' }),
    outdaterTimeoutSeconds: whole(1, 60), splitBrainNotify: words(/^[a-z_][a-z0-9_.@-]*$/, 'a mail recipient such as root'),
    wfcTimeoutSeconds: whole(1, 3600), degrWfcTimeoutSeconds: whole(1, 3600),
  }),
  heartbeat: z.strictObject({
    dopd: z.literal(true, { error: 'must be true: DRBD\'s fencing does nothing without dopd under heartbeat' }),
    waitForUpToDateSeconds: whole(10, 7200),
    timing: timing.optional(),
    stonith: z.strictObject({ port: whole(1024, 65535) }, { error: 'must be an object such as { "port": 1229 }' }).optional(),
  }),
  startAtBoot: z.array(z.enum(['drbd', 'heartbeat']), { error: 'must list "drbd" and "heartbeat": a returning node rejoins only if both start at boot' }),
}).describe('an ha-lab configuration profile: what it adds to topology.json');

export const acceptanceSchema = z.strictObject({
  $schema: schemaRef,
  $comment: z.string().optional(),
  profile: z.string({ error: 'must name the configuration profile, e.g. "guide"' }).min(1, { error: 'must name the configuration profile, e.g. "guide"' }),
  acceptsDataSafety: flag.optional().describe('false: an UNSAFE or UNKNOWN data-safety verdict fails the run whatever is accepted'),
  accepted: z.array(z.strictObject({
    scenario: z.string().min(1).describe('S1…, F1…, D1, guide-v1, or * for the start state'),
    finding: z.string().min(1).describe('a finding id: docs/findings.md'),
    why: z.string().min(1),
    by: z.string().min(1),
    mustReproduce: flag,
    maxSeconds: z.number().positive().optional().describe('for a timing finding: the most it may measure and still be accepted'),
    seen: z.string().min(1).optional().describe('which run showed it'),
  }), { error: 'must be a list of { scenario, finding, why, by, mustReproduce }' }),
}).describe('the findings an ha-lab profile accepts, per scenario, with why');

const table = (what: string) => z.record(z.string().min(1), z.string().min(1)).optional().describe(what);

export const operatorMappingSchema = z.strictObject({
  $schema: schemaRef,
  $comment: z.string().optional(),
  nodes: z.record(z.string().min(1), z.string().min(1)).describe("your node names (uname -n) → the lab's: linux01, linux02"),
  addresses: z.record(ipv4, ipv4, { error: 'must map IPv4 addresses to IPv4 addresses' }).describe("your addresses (nodes, VIP, ping node) → the lab's"),
  interfaces: table("your interfaces → the lab's (eth1)"),
  paths: table("your devices, mount points, directories and programs → the lab's (a path also maps the paths under it)"),
  words: table("any other name → the lab's: the DRBD resource (r0), heartbeat's name for MySQL's init script (mariadb)"),
}).describe("how an operator's configuration (npm run e2e -- --config <dir>) names the lab's nodes, addresses, interfaces, paths");

const path = z.string({ error: 'must be a path' }).min(1, { error: 'must be a path' });

export const inventorySchema = z.strictObject({
  $schema: schemaRef,
  $comment: z.string().optional(),
  nodes: z.array(z.strictObject({
    name: words(/^[a-z][a-z0-9.-]{0,62}$/, "the node's uname -n, as ha.cf names it"),
    address: ipv4.describe("the node's address on the cluster network"),
    ssh: z.strictObject({
      host: z.string().min(1).optional().describe('where SSH reaches it (default: address)'),
      port: whole(1, 65535).optional(),
      user: words(/^[a-z_][a-z0-9_-]*$/, 'a user with passwordless sudo for read-only commands'),
      key: path.describe('the private key file, relative to this file'),
    }),
  }), { error: 'must list the two nodes, the preferred one (haresources) first' }).length(2, { error: 'must list the two nodes, the preferred one (haresources) first' }),
  vip: ipv4.describe('the address heartbeat moves'),
  interface: words(/^[a-z][a-z0-9.]{1,14}$/, "the nodes' NIC on the cluster network"),
  pingNode: ipv4.optional().describe("ha.cf's ping node"),
  drbd: z.strictObject({ resource: words(/^[A-Za-z][A-Za-z0-9_-]*$/, ''), device: words(/^\/dev\/drbd\d+$/, '') }),
  mysql: z.strictObject({
    user: z.string().min(1).describe('an account that may SELECT (the audit reads variables and information_schema)'),
    passwordFile: path.describe('a file that holds its password, relative to this file'),
    database: words(/^[A-Za-z_][A-Za-z0-9_]*$/, ''),
    mountPoint: words(/^\/[A-Za-z0-9_/-]+$/, ''),
    datadir: words(/^\/[A-Za-z0-9_/-]+$/, ''),
  }),
  witness: z.strictObject({ interface: z.string().min(1) }).optional().describe("the host interface on the cluster's network the outside witness listens on (default: the one whose network holds the VIP)"),
  acceptance: path.optional().describe('the accepted findings to judge against, relative to this file'),
}).describe('an existing cluster for the read-only audit (npm run audit -- --inventory <file>)');

/** The value at an issue's path in the raw file, for the one-line error. */
function at(raw: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>((value, key) => (value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined), raw);
}

/** A path as the messages have always written it: `nodes[0].name`. */
export function fieldName(path: readonly PropertyKey[]): string {
  return path.map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i ? '.' : ''}${String(key)}`)).join('') || '(root)';
}

/**
 * Checks `raw` against a schema; the first problem as one line: the file, the field, the value
 * found and what it must be. An unknown key is named with the keys that belong there.
 */
export function parseShape<T>(schema: z.ZodType<T>, raw: unknown, source: string): T {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new TopologyError(`${source}: (root) = ${JSON.stringify(raw)}: must be a JSON object`);
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0];
    const parent = at(raw, issue.path) as Record<string, unknown>;
    const shape = shapeAt(schema, issue.path);
    const known = shape ? ` (the keys there are: ${Object.keys(shape).filter((k) => !k.startsWith('$')).join(', ')})` : '';
    throw new TopologyError(`${source}: ${fieldName([...issue.path, key])} = ${JSON.stringify(parent[key])}: unknown key${known}; a misspelt key would be ignored, so it is refused`);
  }
  throw new TopologyError(`${source}: ${fieldName(issue.path)} = ${JSON.stringify(at(raw, issue.path))}: ${issue.message}`);
}

/** The keys an object schema names at `path`, for the message about an unknown key. */
function shapeAt(schema: z.ZodType, path: readonly PropertyKey[]): Record<string, unknown> | undefined {
  let current: z.ZodType | undefined = schema;
  for (const key of path) {
    if (!current) return undefined;
    const inner: z.ZodType = current instanceof z.ZodOptional ? (current.unwrap() as z.ZodType) : current;
    if (inner instanceof z.ZodObject) current = inner.shape[String(key)] as z.ZodType | undefined;
    else if (inner instanceof z.ZodArray) current = inner.element as z.ZodType;
    else return undefined;
  }
  const last = current instanceof z.ZodOptional ? current.unwrap() : current;
  return last instanceof z.ZodObject ? last.shape : undefined;
}

/** The JSON Schemas generated from these, as written to schemas/ (`npm run schemas`). */
export function jsonSchemas(): Record<string, unknown> {
  const of = (schema: z.ZodType, id: string) => ({ ...z.toJSONSchema(schema, { io: 'input' }), $id: id });
  return {
    'topology.schema.json': of(topologySchema, 'topology.schema.json'),
    'profile.schema.json': of(profileSchema, 'profile.schema.json'),
    'acceptance.schema.json': of(acceptanceSchema, 'acceptance.schema.json'),
    'operator-mapping.schema.json': of(operatorMappingSchema, 'operator-mapping.schema.json'),
    'inventory.schema.json': of(inventorySchema, 'inventory.schema.json'),
  };
}
