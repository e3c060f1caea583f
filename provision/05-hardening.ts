/**
 * A hardened profile's own steps (topology.<profile>.json), beyond what its renderers change in
 * the guide's files (P7's drbd.conf: fencing, split-brain handler, boot wait, the dedicated link;
 * H1's ha.cf: the second path and dopd). None of them runs in the guide's profile.
 *   HD1 (environment phase, before P7): the dedicated link between the nodes addressed.
 *   HD2 (heartbeat phase, before H.start): DRBD and heartbeat started at boot; heartbeat waits
 *       for an UpToDate disk first, and for the peer's takeover to finish, which heartbeat v1's
 *       auto_failback cannot do itself.
 *   HD3 (heartbeat phase, before H.start, with a STONITH device): the power switch's plugin.
 *   HD4 (environment phase, before P7 names it): DRBD's fence-peer handler: the outdater's
 *       "outdated" believed only when repeated once the peer noticed the loss, its "unreachable"
 *       only for a peer heartbeat declared dead.
 */
import { quote } from 'zx';
import { MYSQL_PORT, type Hardening, type LabNode } from '../harness/index.js';
import { writeFileCommand } from './node-files.js';
import { DRBD_PEER_OUTDATER, FENCE_PEER_HANDLER } from './config/drbd-conf.js';
import { POWER_SWITCH_PLUGIN, POWER_SWITCH_PLUGIN_FILE, POWER_SWITCH_TOKEN_FILE, renderPowerSwitchPlugin, renderPowerSwitchToken } from './config/heartbeat.js';
import type { Procedure } from './context.js';
import type { Step } from './step.js';

export const LINK_NETWORK_FILE = '/etc/systemd/network/30-halab-link.network';
export const WAIT_FOR_UPTODATE = '/usr/local/sbin/halab-wait-uptodate';
export const HEARTBEAT_DROP_IN = '/etc/systemd/system/heartbeat.service.d/halab-hardened.conf';

function hardeningOf(p: Procedure): Hardening {
  const hardening = p.t.profile.hardening;
  if (!hardening) throw new Error(`the ${p.t.profile.name} profile has no hardening`);
  return hardening;
}

/** systemd-networkd's file for the dedicated link: a static address, nothing else on it. */
export function renderLinkNetwork(hardening: Hardening, node: string): string {
  const link = hardening.replicationLink;
  return `# ha-lab (HD1): the dedicated link between the nodes, for DRBD and heartbeat's second path.
[Match]
Name=${link.interface}
[Network]
Address=${link.addresses[node]}/${link.prefixLength}
LinkLocalAddressing=no
IPv6AcceptRA=no
`;
}

/**
 * heartbeat's ExecStartPre: returns once the local disk is UpToDate and, where the peer is
 * Primary, once the peer's group answers on the VIP (its takeover finished); or when there is
 * nothing to wait for (no peer connected to sync from for `grace` seconds, or the resource not
 * configured); or after `limit` seconds. While the disk is a resync's target, heartbeat does not
 * start, so auto_failback cannot move the group onto it; while the peer is still starting the
 * group, auto_failback cannot interrupt that takeover (measured, hardened F3: a node power-cycled
 * by STONITH was back and UpToDate 33 s after the peer's promotion, its heartbeat's arrival gave
 * "T_STARTING received during takeover", MariaDB's stop failed mid-start, and nobody served for
 * 160 s).
 */
export function renderWaitForUpToDate(resource: string, vip: string, port: number): string {
  return `#!/bin/sh
# ha-lab (HD2): heartbeat joins the cluster only with an UpToDate DRBD disk (auto_failback in
# heartbeat v1 moves the group home as soon as the node's heartbeat runs, resynced or not), and
# not while the peer is still taking the group over (a failback then interrupts the takeover).
res=\${1:-${resource}} limit=\${2:-900} grace=\${3:-30} vip=${vip} port=${port}
serves() { timeout 3 bash -c "exec 3<>/dev/tcp/$vip/$port" 2>/dev/null; }
waited=0 idle=0
while [ "$waited" -lt "$limit" ]; do
  ds=$(drbdadm dstate "$res" 2>/dev/null | cut -d/ -f1)
  cs=$(drbdadm cstate "$res" 2>/dev/null)
  case "$ds" in UpToDate)
    case "$(drbdadm role "$res" 2>/dev/null)" in
      */Primary) if serves; then echo "halab-wait-uptodate: $res UpToDate ($cs), the peer serves on $vip:$port, after $waited s"; exit 0; fi ;;
      *) echo "halab-wait-uptodate: $res UpToDate ($cs) after $waited s"; exit 0 ;;
    esac ;;
  esac
  case "$cs" in
    Connected|SyncTarget|SyncSource|PausedSyncT|PausedSyncS|WFBitMapT|WFBitMapS|WFSyncUUID|StartingSyncT|StartingSyncS|WFReportParams) idle=0 ;;
    *) idle=$((idle + 2)) ;;
  esac
  if [ "$idle" -ge "$grace" ]; then echo "halab-wait-uptodate: $res is $ds, $cs: no peer to sync from for $grace s, starting anyway"; exit 0; fi
  sleep 2; waited=$((waited + 2))
done
echo "halab-wait-uptodate: $res still $ds ($cs$( [ "$ds" = UpToDate ] && echo ', the peer Primary, nothing answering on the VIP')) after $limit s, starting anyway"
`;
}

/**
 * DRBD's fence-peer handler in a hardened profile: drbd-peer-outdater, with two corrections
 * measured on the VMs.
 * - dopd answers "outdated" (exit 4) for a peer whose DRBD has not yet noticed the lost
 *   connection: `drbdadm outdate` on a Connected Secondary exits 0 and leaves it UpToDate (dopd's
 *   log: "command rc: 0, rc: 4"; /proc/drbd still UpToDate). Hardened F4 showed the race: the
 *   Primary noticed the cut 1.4 s before the Secondary, resumed I/O alone on that "4", the
 *   Secondary stayed UpToDate, promoted after the crash: split brain. So a first 4 is asked
 *   again after `settleSeconds`, by when the peer's DRBD has noticed too (it pings an idle
 *   connection every ping-int, 10 s, and gives up after ping-timeout, 0.5 s), and only that
 *   answer is passed on.
 * - "unreachable" (exit 5: DRBD assumes the peer dead and resumes alone) is passed on only once
 *   heartbeat no longer hears the peer (a peer heartbeat declares dead is fenced by STONITH);
 *   while it does, the outdater is asked again each second.
 * After `limitSeconds` without an answer it may pass on, the handler exits 1 and I/O stays
 * frozen for an operator (DRBD: "fence-peer helper broken"), never resumed against a live peer.
 */
export function renderFencePeer(nodes: readonly string[], options: { outdaterTimeoutSeconds: number; settleSeconds?: number; limitSeconds?: number; outdater?: string }): string {
  const [a, b] = nodes;
  const { outdaterTimeoutSeconds, settleSeconds = 12, limitSeconds = 60, outdater = DRBD_PEER_OUTDATER } = options;
  return `#!/bin/sh
# ha-lab (HD4): DRBD's fence-peer handler: ${DRBD_PEER_OUTDATER}, whose "outdated" is believed
# only when repeated after the peer's DRBD has had time to notice the loss (dopd says 4 for a peer
# still Connected, which stays UpToDate), and whose "unreachable" (exit 5: assumed dead, I/O
# resumed alone) is passed on only for a peer heartbeat no longer hears.
outdater=${outdater} timeout=${outdaterTimeoutSeconds} settle=${settleSeconds} limit=${limitSeconds}
case "$(uname -n)" in ${a}) peer=${b} ;; ${b}) peer=${a} ;; *) peer=unknown ;; esac
say() { logger -t halab-fence-peer -- "$*" 2>/dev/null; echo "halab-fence-peer: $*" >&2; }
start=$(date +%s) attempt=0 outdated=0
while :; do
  attempt=$((attempt + 1))
  "$outdater" -t "$timeout"; rc=$?
  case "$rc" in
    4) if [ "$outdated" -eq 0 ]; then
         outdated=1
         say "$peer: outdater exit 4, attempt $attempt: asked again in $settle s, once the peer's DRBD has noticed the loss too"
         sleep "$settle"; continue
       fi
       say "$peer: outdater exit 4 again, attempt $attempt: the peer is Outdated"; exit 4 ;;
    3|6|7) say "$peer: outdater exit $rc, attempt $attempt"; exit "$rc" ;;
  esac
  # What cl_status prints is the answer; its exit code is not 0 for a peer that is not active.
  status=$(cl_status nodestatus "$peer" 2>/dev/null); [ -n "$status" ] || status=unknown
  case "$status" in
    active|up|init) ;;
    *) say "$peer: outdater exit $rc, heartbeat says $status: passed on, attempt $attempt"; exit "$rc" ;;
  esac
  if [ $(( $(date +%s) - start )) -ge "$limit" ]; then
    say "$peer: heartbeat says $status, yet the outdater answered $rc for $limit s: exit 1, I/O stays frozen for an operator"
    exit 1
  fi
  say "$peer: outdater exit $rc while heartbeat says $status: asking again, attempt $attempt"
  sleep 1
done
`;
}

export function renderHeartbeatDropIn(hardening: Hardening, resource: string): string {
  return `# ha-lab (HD2): at boot after DRBD (ordering only: starting heartbeat never re-adjusts DRBD),
# and not before the local disk is UpToDate.
[Unit]
After=drbd.service
[Service]
ExecStartPre=${WAIT_FOR_UPTODATE} ${resource} ${hardening.heartbeat.waitForUpToDateSeconds}
TimeoutStartSec=${hardening.heartbeat.waitForUpToDateSeconds + 60}
`;
}

function onBoth(p: Procedure, run: (node: LabNode, t: Parameters<Step['run']>[0]) => Promise<void>): Step['run'] {
  return async (t) => {
    for (const node of [p.primary, p.secondary]) await run(node, t);
  };
}

/** HD1: the dedicated link addressed on both nodes, each reaching the other over it. */
export function linkStep(p: Procedure): Step {
  const h = hardeningOf(p);
  const link = h.replicationLink;
  const peerAddress = (node: LabNode) => link.addresses[node === p.primary ? p.secondary.name : p.primary.name];
  const reaches = (node: LabNode) => `ping -c 2 -W 2 -I ${link.interface} ${peerAddress(node)}`;
  return {
    id: 'HD1',
    title: `hardened: the dedicated link ${link.interface} (${link.cidr}) between the nodes, for DRBD and heartbeat's second path`,
    done: async (t) => {
      for (const node of [p.primary, p.secondary]) {
        if ((await t.run(node, `ip -4 -o addr show dev ${link.interface} | grep -qw ${quote(`${link.addresses[node.name]}/${link.prefixLength}`)} && ${reaches(node)}`)).code !== 0) return undefined;
      }
      return `${link.interface} addressed on both nodes, each reaching the other`;
    },
    run: async (t) => {
      // The file is for every later boot; now, `ip` (the box has no D-Bus for networkctl, and a
      // restart of networkd would renegotiate the management NIC under the harness's SSH).
      await onBoth(p, async (node, tr) => {
        const address = `${link.addresses[node.name]}/${link.prefixLength}`;
        await tr.succeed(node, `${writeFileCommand(LINK_NETWORK_FILE)} && ip link set ${link.interface} up && ` +
          `{ ip -4 -o addr show dev ${link.interface} | grep -qw ${quote(address)} || ip addr add ${address} dev ${link.interface}; } && ip -4 -o addr show dev ${link.interface}`, { stdin: renderLinkNetwork(h, node.name) });
      })(t);
      for (const node of [p.primary, p.secondary]) await t.succeed(node, reaches(node));
    },
  };
}

/** HD2: what a node back from a power cut needs to rejoin by itself, and auto_failback's wait for UpToDate. */
export function bootStep(p: Procedure): Step {
  const h = hardeningOf(p);
  const units = h.startAtBoot.map((u) => `${u}.service`);
  const waitScript = () => renderWaitForUpToDate(p.t.drbd.resource, p.t.network.vip, MYSQL_PORT);
  return {
    id: 'HD2',
    title: `hardened: ${units.join(' and ')} enabled at boot; heartbeat starts after DRBD and only on an UpToDate disk (${WAIT_FOR_UPTODATE})`,
    run: onBoth(p, async (node, t) => {
      await t.succeed(node, writeFileCommand(WAIT_FOR_UPTODATE, '755'), { stdin: waitScript() });
      await t.succeed(node, writeFileCommand(HEARTBEAT_DROP_IN), { stdin: renderHeartbeatDropIn(h, p.t.drbd.resource) });
      // One daemon-reload for the drop-in and the links: each costs seconds under TCG.
      await t.succeed(node, `systemctl --no-reload enable ${units.join(' ')} 2>&1 && systemctl daemon-reload && systemctl is-enabled ${units.join(' ')} && systemctl cat heartbeat.service | grep -n ExecStartPre`);
    }),
    done: async (t) => {
      for (const node of [p.primary, p.secondary]) {
        if ((await t.run(node, `systemctl is-enabled ${units.join(' ')} && test -x ${WAIT_FOR_UPTODATE}`)).code !== 0) return undefined;
        // The files as this code renders them, not merely present.
        if ((await t.run(node, `cmp -s - ${WAIT_FOR_UPTODATE}`, { stdin: waitScript() })).code !== 0) return undefined;
        if ((await t.run(node, `cmp -s - ${HEARTBEAT_DROP_IN}`, { stdin: renderHeartbeatDropIn(h, p.t.drbd.resource) })).code !== 0) return undefined;
      }
      return `${units.join(', ')} enabled on both nodes, heartbeat waits for UpToDate`;
    },
  };
}

/**
 * HD3: heartbeat's STONITH device, the plugin that asks the lab's power switch to power-cycle
 * the peer (H1's `stonith_host` names it). cluster-glue's own `stonith` tool loads it and lists
 * the hosts, so a plugin heartbeat could not use fails here, not at the first fence.
 */
export function stonithStep(p: Procedure): Step {
  const hosts = p.t.nodes.map((n) => n.name).join(',');
  const listHosts = `stonith -t external/${POWER_SWITCH_PLUGIN} -p ${quote(`${hosts} http://power-switch.invalid ${POWER_SWITCH_TOKEN_FILE}`)} -l`;
  const token = () => renderPowerSwitchToken(p.secrets.powerSwitchToken);
  return {
    id: 'HD3',
    title: `hardened: heartbeat's STONITH device external/${POWER_SWITCH_PLUGIN}: the lab's power switch power-cycles a node declared dead before the group is taken over; its token in ${POWER_SWITCH_TOKEN_FILE}, root's alone`,
    run: onBoth(p, async (node, t) => {
      await t.succeed(node, `${writeFileCommand(POWER_SWITCH_PLUGIN_FILE, '755')} && ${listHosts}`, { stdin: renderPowerSwitchPlugin() });
      // (install -m 600 creates it root's alone before a byte is written)
      await t.succeed(node, `${writeFileCommand(POWER_SWITCH_TOKEN_FILE, '600')} && stat -c '%U %G %a %n' ${POWER_SWITCH_TOKEN_FILE}`, { stdin: token() });
    }),
    done: async (t) => {
      for (const node of [p.primary, p.secondary]) {
        if ((await t.run(node, `cmp -s - ${POWER_SWITCH_PLUGIN_FILE} && test -x ${POWER_SWITCH_PLUGIN_FILE}`, { stdin: renderPowerSwitchPlugin() })).code !== 0) return undefined;
        if ((await t.run(node, `cmp -s - ${POWER_SWITCH_TOKEN_FILE} && test "$(stat -c '%U %G %a' ${POWER_SWITCH_TOKEN_FILE})" = 'root root 600'`, { stdin: token() })).code !== 0) return undefined;
      }
      return `external/${POWER_SWITCH_PLUGIN} and its token file (root root 600) installed on both nodes`;
    },
  };
}

/** HD4: the fence-peer handler P7's drbd.conf names in a hardened profile, on both nodes before DRBD runs with it. */
export function fencePeerStep(p: Procedure): Step {
  const h = hardeningOf(p);
  const script = () => renderFencePeer(p.t.nodes.map((n) => n.name), { outdaterTimeoutSeconds: h.drbd.outdaterTimeoutSeconds });
  return {
    id: 'HD4',
    title: `hardened: DRBD's fence-peer handler ${FENCE_PEER_HANDLER}: the outdater's "outdated" believed only when repeated once the peer has noticed the loss, its "unreachable" only for a peer heartbeat declared dead`,
    run: onBoth(p, async (node, t) => {
      await t.succeed(node, `${writeFileCommand(FENCE_PEER_HANDLER, '755')} && sh -n ${FENCE_PEER_HANDLER}`, { stdin: script() });
    }),
    done: async (t) => {
      for (const node of [p.primary, p.secondary]) {
        if ((await t.run(node, `cmp -s - ${FENCE_PEER_HANDLER} && test -x ${FENCE_PEER_HANDLER}`, { stdin: script() })).code !== 0) return undefined;
      }
      return `${FENCE_PEER_HANDLER} installed on both nodes`;
    },
  };
}
