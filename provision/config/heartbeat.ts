import { powerSwitchUrl, replicationPath, type NodeSpec, type ResolvedTopology } from '../../harness/index.js';

export const IPFAIL = '/usr/libexec/heartbeat/ipfail';
/** The DRBD outdate-peer daemon drbd-peer-outdater talks to, through heartbeat (hardened profile). */
export const DOPD = '/usr/libexec/heartbeat/dopd';
/** heartbeat's STONITH device in a hardened profile: an `external` plugin of cluster-glue's stonith library. */
export const POWER_SWITCH_PLUGIN = 'halab-power-switch';
export const POWER_SWITCH_PLUGIN_FILE = `/usr/lib/stonith/plugins/external/${POWER_SWITCH_PLUGIN}`;
/**
 * The power switch's token, on each node, for root alone (heartbeat runs its STONITH plugins as
 * root): ha.cf is world-readable, so its `stonith_host` line names this file, never the token.
 * Heartbeat 3.0.6's `stonith_host` passes the plugin's parameters as written; the plugin reads the file.
 */
export const POWER_SWITCH_TOKEN_FILE = '/etc/ha.d/halab-power-switch.token';
/** What a per-lab secret written into a node's configuration looks like (secrets.ts generates them). */
const SECRET = /^[A-Za-z0-9]{16,}$/;
/** MariaDB's init script on Debian 12 (there is no `mysqld` script): heartbeat's resource name. */
export const MYSQL_RESOURCE = 'mariadb';

function peerOf(t: ResolvedTopology, node: NodeSpec): NodeSpec {
  const peer = t.nodes.find((other) => other.name !== node.name);
  if (!peer) throw new Error(`${node.name} has no peer in the topology`);
  return peer;
}

/**
 * H1: ha.cf as the guide writes it; `ucast` names the peer, so it differs per node. A hardened
 * profile adds heartbeat's second path over the dedicated link, dopd for the peer-outdater and,
 * with a STONITH device, the lab's power switch (`stonith_host`: any node may power-cycle the
 * other; its parameters are the plugin's getconfignames, in order: hosts, switch URL, the file
 * that holds the token — never the token: ha.cf is world-readable).
 */
export function renderHaCf(t: ResolvedTopology, node: NodeSpec): string {
  const hb = t.heartbeat;
  const peer = peerOf(t, node);
  const hardening = t.profile.hardening;
  const secondPath = hardening ? `ucast ${hardening.replicationLink.interface} ${replicationPath(t, peer.name).address}\n` : '';
  const dopd = hardening ? `respawn hacluster ${DOPD}\napiauth dopd gid=haclient uid=hacluster\n` : '';
  const stonith = hardening?.heartbeat.stonith;
  const stonithHost = stonith
    ? `stonith_host * external/${POWER_SWITCH_PLUGIN} ${t.nodes.map((n) => n.name).join(',')} ${powerSwitchUrl(stonith.port)} ${POWER_SWITCH_TOKEN_FILE}\n` : '';
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
${dopd}${stonithHost}crm off
`;
}

/**
 * The STONITH plugin (cluster-glue's `external` interface: the operation as argument, the
 * parameters as environment variables) that asks the lab's power switch, served by the harness
 * on the management network, to power-cycle a node. Like a PDU: a node found powered off stays
 * off and counts as fenced. Exit 0 only when the switch says it is done.
 */
export function renderPowerSwitchPlugin(): string {
  return `#!/bin/sh
# ha-lab: heartbeat's STONITH device, the lab's power switch (harness/hypervisor/power-switch).
# Parameters (ha.cf stonith_host, in getconfignames order): hostlist switch_url token_file.
# The token is read from token_file (root only) and handed to curl on stdin, never on a command line.
case "$1" in
  gethosts) echo "$hostlist" | tr ',' ' ' ;;
  reset|off)
    token=$(cat "$token_file") || exit 1
    printf 'Authorization: Bearer %s\n' "$token" | curl -fsS --max-time 120 -X POST -H @- "$switch_url/$1/$2" ;;
  on) exit 1 ;;
  status) curl -fsS --max-time 10 "$switch_url/status" ;;
  getconfignames) echo hostlist switch_url token_file ;;
  getinfo-devid) echo "ha-lab power switch" ;;
  getinfo-devname) echo "ha-lab power switch at $switch_url" ;;
  getinfo-devdescr) echo "Power-cycles a lab VM through the hypervisor (virsh destroy, start), as a PDU would" ;;
  getinfo-devurl) echo "$switch_url" ;;
  getinfo-xml) cat <<'XML'
<parameters>
<parameter name="hostlist" unique="1" required="1"><content type="string"/><shortdesc lang="en">Nodes the switch powers, comma-separated</shortdesc></parameter>
<parameter name="switch_url" unique="1" required="1"><content type="string"/><shortdesc lang="en">The power switch's URL</shortdesc></parameter>
<parameter name="token_file" unique="1" required="1"><content type="string"/><shortdesc lang="en">The file (root only) that holds the lab's token for the switch</shortdesc></parameter>
</parameters>
XML
  ;;
  *) exit 1 ;;
esac
`;
}

/** The token file's content: the token alone; refused unless it looks like a per-lab secret. */
export function renderPowerSwitchToken(token: string): string {
  if (!SECRET.test(token)) throw new Error("the power switch's token must be at least 16 letters or digits (secrets.json: powerSwitchToken)");
  return `${token}\n`;
}

/** H2: the guide uses `crc`, which authenticates nothing; sha1/md5 take a per-run secret. */
export function renderAuthkeys(method: ResolvedTopology['heartbeat']['auth'], secret: string): string {
  if (method === 'crc') return 'auth 1\n1 crc\n';
  if (!SECRET.test(secret)) throw new Error(`authkeys: a ${method} secret must be at least 16 letters or digits`);
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
