import type { SshEndpoint } from '../../cluster/node/ssh-endpoint.js';

export type { SshEndpoint };

/**
 * Parses `vagrant ssh-config` output (OpenSSH client syntax: `Host` starts a block, then
 * `Key value` lines; IdentityFile may repeat and may be quoted).
 */
export function parseSshConfig(text: string): Map<string, SshEndpoint> {
  const hosts = new Map<string, SshEndpoint>();
  let current: Partial<SshEndpoint> & { identityFiles: string[] } | undefined;
  const finish = () => {
    if (!current) return;
    const { host, hostName, user, port } = current;
    if (!host || !hostName || !user) throw new Error(`vagrant ssh-config: block for ${host ?? '?'} lacks HostName or User`);
    hosts.set(host, { host, hostName, user, port: port ?? 22, identityFiles: current.identityFiles });
  };
  for (const rawLine of text.split('\n')) {
    const line = rawLine.trim();
    if (!line || line.startsWith('#')) continue;
    const match = /^(\S+)\s+(.*)$/.exec(line);
    if (!match) continue;
    const key = match[1].toLowerCase();
    const value = match[2].trim().replace(/^"(.*)"$/, '$1');
    if (key === 'host') {
      finish();
      current = { host: value, identityFiles: [] };
    } else if (current) {
      if (key === 'hostname') current.hostName = value;
      else if (key === 'user') current.user = value;
      else if (key === 'port') current.port = Number(value);
      else if (key === 'identityfile') current.identityFiles.push(value);
    }
  }
  finish();
  return hosts;
}
