import { replicationPath, type NodeSpec, type ResolvedTopology } from '../../harness/index.js';

export const IPFAIL = '/usr/libexec/heartbeat/ipfail';
/** The DRBD outdate-peer daemon drbd-peer-outdater talks to, through heartbeat (hardened profile). */
export const DOPD = '/usr/libexec/heartbeat/dopd';
/** MariaDB's init script on Debian 12 (there is no `mysqld` script): heartbeat's resource name. */
export const MYSQL_RESOURCE = 'mariadb';

function peerOf(t: ResolvedTopology, node: NodeSpec): NodeSpec {
  const peer = t.nodes.find((other) => other.name !== node.name);
  if (!peer) throw new Error(`${node.name} has no peer in the topology`);
  return peer;
}

/**
 * H1: ha.cf as the guide writes it; `ucast` names the peer, so it differs per node. A hardened
 * profile adds heartbeat's second path over the dedicated link, and dopd for the peer-outdater.
 */
export function renderHaCf(t: ResolvedTopology, node: NodeSpec): string {
  const hb = t.heartbeat;
  const peer = peerOf(t, node);
  const hardening = t.profile.hardening;
  const secondPath = hardening ? `ucast ${hardening.replicationLink.interface} ${replicationPath(t, peer.name).address}\n` : '';
  const dopd = hardening ? `respawn hacluster ${DOPD}\napiauth dopd gid=haclient uid=hacluster\n` : '';
  return `# Rendered by ha-lab from topology.json${hardening ? ` and ${t.profile.name}'s hardening` : ''} (step H1) for ${node.name}.
logfile /var/log/ha-log
debugfile /var/log/ha-debug
keepalive ${hb.keepalive}
deadtime ${hb.deadtime}
warntime ${hb.warntime}
initdead ${hb.initdead}
ucast ${t.network.interface} ${peer.address}
${secondPath}auto_failback ${hb.autoFailback ? 'on' : 'off'}
${t.nodes.map((n) => `node ${n.name}`).join('\n')}
ping ${t.pingNode}
respawn hacluster ${IPFAIL}
apiauth ipfail gid=haclient uid=hacluster
${dopd}crm off
`;
}

/** H2: the guide uses `crc`, which authenticates nothing; sha1/md5 take a per-run secret. */
export function renderAuthkeys(method: ResolvedTopology['heartbeat']['auth'], secret: string): string {
  if (method === 'crc') return 'auth 1\n1 crc\n';
  if (!/^[A-Za-z0-9]{16,}$/.test(secret)) throw new Error(`authkeys: a ${method} secret must be at least 16 letters or digits`);
  return `auth 1\n1 ${method} ${secret}\n`;
}

/**
 * H3: resources started left to right on the preferred node, stopped right to left. The guide
 * writes the bare VIP, which IPaddr puts on eth0; here eth0 is Vagrant's management NIC and
 * IPaddr refuses ("Invalid parameter value: nic [eth0] Calculated nic: [eth1]"), so the lab
 * interface and prefix are named.
 */
export function renderHaresources(t: ResolvedTopology): string {
  return `${t.primary.name} drbddisk::${t.drbd.resource} Filesystem::${t.drbd.device}::${t.mysql.mountPoint}::${t.mysql.fsType} ` +
    `IPaddr::${t.network.vip}/${t.prefixLength}/${t.network.interface} ${MYSQL_RESOURCE}\n`;
}
