import { replicationPath, type ResolvedTopology } from '../../harness/index.js';

/** What the resource stands on; the defaults are the guide's (topology.json, internal metadata). */
export interface DrbdResourceLayout {
  resource: string;
  device: string;
  port: number;
  /** The backing disk, the same path on both nodes. */
  disk: string;
  /** `internal`, or an external metadata device with its index: `/dev/VG/drbd-md[0]`. */
  metaDisk: string;
}

export function guideLayout(t: ResolvedTopology): DrbdResourceLayout {
  return { resource: t.drbd.resource, device: t.drbd.device, port: t.drbd.port, disk: `/dev/${t.lvm.vg}/${t.lvm.lv}`, metaDisk: 'internal' };
}

/** A hardened profile's fence-peer handler (HD4, provision/05-hardening.ts): the outdater, asked again while the peer is alive. */
export const FENCE_PEER_HANDLER = '/usr/local/sbin/halab-fence-peer';

/** Where Debian 12 keeps what the guide's 8.3 build put in /usr/lib/heartbeat. */
export const DRBD_PEER_OUTDATER = '/usr/libexec/heartbeat/drbd-peer-outdater';

/**
 * P7: the guide's /etc/drbd.conf in a syntax drbd-utils 9.22 accepts for the 8.4 module:
 * `syncer { rate; al-extents }` becomes `disk { resync-rate; al-extents }`,
 * `flexible-meta-disk internal` becomes `meta-disk internal`, and usage-count is off (offline lab).
 */
export function renderDrbdConf(t: ResolvedTopology, layout: DrbdResourceLayout = guideLayout(t)): string {
  const { drbd } = t;
  const hardening = t.profile.hardening;
  // A hardened profile replicates over its dedicated link; the guide over the lab network.
  const hosts = t.nodes.map((node) => `  on ${node.name} {
    device    ${layout.device};
    disk      ${layout.disk};
    address   ${replicationPath(t, node.name).address}:${layout.port};
    meta-disk ${layout.metaDisk};
  }`).join('\n');
  const title = hardening
    ? `# Rendered by ha-lab from topology.json and ${t.profile.name}'s hardening (step P7): the guide's resource, plus
# fencing ${hardening.drbd.fencing} (drbd-peer-outdater through dopd), split-brain notification and a bounded boot wait.`
    : "# Rendered by ha-lab from topology.json (step P7). The guide's resource, drbd-utils 9 syntax.";
  return `${title}
global {
  usage-count no;
}
common {
}
resource ${layout.resource} {
  protocol ${drbd.protocol};
  handlers {
    pri-on-incon-degr "/usr/lib/drbd/notify-pri-on-incon-degr.sh; /usr/lib/drbd/notify-emergency-reboot.sh; echo b > /proc/sysrq-trigger ; reboot -f";
    pri-lost-after-sb "/usr/lib/drbd/notify-pri-lost-after-sb.sh; /usr/lib/drbd/notify-emergency-reboot.sh; echo b > /proc/sysrq-trigger ; reboot -f";
    local-io-error "/usr/lib/drbd/notify-io-error.sh; /usr/lib/drbd/notify-emergency-shutdown.sh; echo o > /proc/sysrq-trigger ; halt -f";
    fence-peer "${hardening ? FENCE_PEER_HANDLER : `${DRBD_PEER_OUTDATER} -t 5`}";${hardening ? `
    split-brain "/usr/lib/drbd/notify-split-brain.sh ${hardening.drbd.splitBrainNotify}";` : ''}
  }${hardening ? `
  startup {
    wfc-timeout ${hardening.drbd.wfcTimeoutSeconds};
    degr-wfc-timeout ${hardening.drbd.degrWfcTimeoutSeconds};
  }` : ''}
  disk {
    on-io-error detach;
    resync-rate ${drbd.syncRate};
    al-extents ${drbd.alExtents};${hardening ? `
    fencing ${hardening.drbd.fencing};` : ''}
  }
  net {
    after-sb-0pri disconnect;
    after-sb-1pri disconnect;
    after-sb-2pri disconnect;
    rr-conflict disconnect;
  }
${hosts}
}
`;
}
