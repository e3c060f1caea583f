import { labHypervisor, type Lab } from './lab.js';

/** The bridge of a libvirt network, from `virsh net-info` ("Bridge:  virbr1"); undefined when it names none. */
export function parseNetInfoBridge(netInfo: string): string | undefined {
  return /^Bridge:\s+(\S+)\s*$/m.exec(netInfo)?.[1];
}

/**
 * The lab's networks carry no loop (one bridge each, no uplink), yet libvirt runs their bridges
 * with STP on, and the kernel's least forward delay with STP is 2 s: a port that comes up (a VM
 * booted, a snapshot reverted, a NIC set up again by a fault's heal) forwards nothing for about
 * 4 s (listening, then learning). A reverted VM whose port is still learning when both resume
 * hears nothing from its peer or the ping node (seen: "Late heartbeat … 6050 ms" as linux02's
 * ports began forwarding, a death verdict under the guide's deadtime 5). STP off: a port
 * forwards as soon as it is up, as on a switch port with portfast. Says what it did, a line per
 * network (also where it could not); a network that does not exist (the replication link
 * outside the hardened profile) is left out.
 */
export async function disableBridgeStp(lab: Lab, networks: readonly string[]): Promise<string[]> {
  const done: string[] = [];
  for (const network of networks) {
    const info = await labHypervisor(lab).query('net-info', network);
    const bridge = info === undefined ? undefined : parseNetInfoBridge(info);
    if (!bridge) continue;
    // Not fatal: with STP on, the run is slower after each revert, not wrong (its checks catch a reaction).
    const set = await lab.onHypervisorHost('ip', ['link', 'set', 'dev', bridge, 'type', 'bridge', 'stp_state', '0'], { reject: false });
    done.push(set.exitCode === 0 ? `${network} (${bridge}): STP off` : `${network} (${bridge}): STP left on, \`ip link set\` failed: ${String(set.stderr).trim() || `exit ${set.exitCode}`}`);
  }
  return done;
}
