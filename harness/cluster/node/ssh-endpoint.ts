/** How to reach a node over SSH (one host block of `vagrant ssh-config`). */
export interface SshEndpoint {
  host: string;
  hostName: string;
  user: string;
  port: number;
  identityFiles: string[];
}

/** Refuses anything that is not an endpoint, naming the field: cluster files are read back from disk. */
export function validateEndpoint(raw: unknown, where: string): SshEndpoint {
  const e = raw as Partial<SshEndpoint> | undefined;
  const fail = (field: string) => {
    throw new Error(`${where}: ${field} = ${JSON.stringify((e as Record<string, unknown> | undefined)?.[field])} is not valid`);
  };
  if (typeof e !== 'object' || e === null) throw new Error(`${where}: not an SSH endpoint: ${JSON.stringify(raw)}`);
  for (const field of ['host', 'hostName', 'user'] as const) if (typeof e[field] !== 'string' || !e[field]) fail(field);
  if (!Number.isInteger(e.port) || e.port! < 1 || e.port! > 65535) fail('port');
  if (!Array.isArray(e.identityFiles) || !e.identityFiles.length || !e.identityFiles.every((f) => typeof f === 'string')) fail('identityFiles');
  return { host: e.host!, hostName: e.hostName!, user: e.user!, port: e.port!, identityFiles: e.identityFiles! };
}
