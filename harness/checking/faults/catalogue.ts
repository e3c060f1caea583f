import { drbdState } from '../../cluster/drbd/drbd.js';
import { replicationPath } from '../../config/profile.js';
import { describeState } from '../../cluster/drbd/proc-drbd.js';
import { describeHoldings, holdsAll } from '../../cluster/heartbeat/holdings.js';
import { sleep } from '../../support/time.js';
import { describeDiscarded, type DiscardedWrites } from '../../hypervisor/volatile-disk/volatile-disk.js';
import { waitFor } from '../../support/wait.js';
import { DISK_CACHE_PROCESS, faultWindows, type History } from '../history/history.js';
import type { LabNode } from '../../cluster/node/node.js';
import { primaryNode, sequence, type Fault, type FaultContext, type TargetSelector } from './fault.js';
import { BOOT_WATCH_SECONDS, powerOn, returnNode } from './node-return.js';

/**
 * A node the heal acts on may have been power-cycled during the fault (a STONITH device fences
 * the node declared dead): the heal waits for it to answer, and says so when it booted meanwhile.
 */
async function answering(ctx: FaultContext, node: LabNode): Promise<{ rebooted: boolean }> {
  await node.awaitSsh(300, 'at the heal');
  const faultFrom = faultWindows(ctx.history, ctx.history.now()).at(-1)?.from;
  const rebooted = faultFrom !== undefined && (await node.bootedAt()) > faultFrom;
  if (rebooted) ctx.history.append({ kind: 'note', text: `${node.name} booted during the fault (power-cycled: STONITH): the heal finds a fresh boot` });
  return { rebooted };
}

/** Heals of several faults: heartbeat started again (unless a fresh boot started it), tc drops removed. */
const startHeartbeat: Fault['stop'] = async (ctx, nodes) => {
  for (const node of nodes) {
    await answering(ctx, node);
    // A hardened node's boot starts heartbeat itself (it may still wait for an UpToDate disk).
    const state = (await node.run('systemctl is-active heartbeat')).stdout.trim();
    if ((await node.heartbeat.running()) || state === 'activating') {
      ctx.history.append({ kind: 'note', text: `${node.name}: heartbeat already ${state === 'activating' ? 'starting (waiting for an UpToDate disk)' : 'runs'}: not started again` });
      continue;
    }
    await node.heartbeat.start();
  }
};
const unblock: Fault['stop'] = async (ctx, nodes) => {
  for (const node of nodes) {
    await answering(ctx, node);
    await node.unblock();
  }
};

/** The guide's own test (V2): heartbeat stopped in order on the node, started again to heal. */
export function stopHeartbeat(targets: TargetSelector = primaryNode): Fault {
  return {
    name: 'stop-heartbeat',
    description: 'systemctl stop heartbeat (the group is released in order); heal: systemctl start heartbeat',
    targets,
    start: async (_, nodes) => {
      for (const node of nodes) await node.heartbeat.stop();
    },
    stop: startHeartbeat,
  };
}

/**
 * SIGKILL of every heartbeat process: nothing is released, the node keeps its resources with no
 * cluster manager (held long enough for the peer to pass deadtime and act).
 */
export function killHeartbeat(targets: TargetSelector = primaryNode): Fault {
  return {
    name: 'kill-heartbeat',
    description: 'pkill -KILL -x heartbeat; heal: systemctl start heartbeat',
    targets,
    start: async (ctx, nodes) => {
      for (const node of nodes) await ctx.attach(`${node.name}: heartbeat processes killed`, await node.heartbeat.kill());
    },
    stop: startHeartbeat,
  };
}

/**
 * Power cut (virsh destroy): no shutdown, no flush. Heal is the power coming back: the node is
 * left alone for a while and what it starts by itself is recorded (the rejoin checker judges it),
 * then the operator's return steps where it did not rejoin: `drbdadm up`, then heartbeat.
 */
export function powerCut(targets: TargetSelector = primaryNode): Fault {
  return {
    name: 'power-cut',
    description: `virsh destroy (no shutdown, no flush); heal: virsh start, ${BOOT_WATCH_SECONDS} s untouched, then the operator's drbdadm up and systemctl start heartbeat where needed`,
    targets,
    start: async (ctx, nodes) => {
      for (const node of nodes) {
        const at = ctx.history.now();
        const discarded = await node.crash();
        ctx.observers.get(node.name)?.markPoweredOff(ctx.history.now());
        // A fault of its own, beside the power cut: what the data disk's volatile cache held and lost
        // (an ordinary disk keeps every write: nothing to record).
        if (discarded) {
          ctx.history.append({ kind: 'op', process: DISK_CACHE_PROCESS, type: 'invoke', f: CACHE_LOSS, value: { node: node.name }, at });
          ctx.history.append({ kind: 'op', process: DISK_CACHE_PROCESS, type: 'ok', f: CACHE_LOSS, value: { node: node.name, ...discarded } });
          await ctx.attach(`${node.name}: its data disk's write cache lost with the power`, describeDiscarded(discarded));
        }
      }
    },
    stop: async (ctx, nodes) => {
      for (const node of nodes) await returnNode(ctx, node);
    },
  };
}

/** The history's name for a power cut's loss of a data disk's volatile write cache (D2). */
export const CACHE_LOSS = 'disk-cache-loss';

/** A cache loss as the history has it: whose disk, when, and what it discarded. */
export interface CacheLoss extends DiscardedWrites {
  node: string;
  at: number;
}

/** Every cache loss in the history, in time order: a power cut of a VM whose data disk has a volatile cache. */
export function cacheLosses(history: History): CacheLoss[] {
  return history.ops({ process: DISK_CACHE_PROCESS, f: CACHE_LOSS, type: 'ok' }).map((op) => ({ ...(op.value as Omit<CacheLoss, 'at'>), at: op.at }));
}

/** The note a burst power cut leaves at the moment of the cut: what durabilityAtCut measures from. */
export const BURST_CUT_NOTE = 'burst: power cut';

/**
 * D1, D2: a power cut of the serving node (or of the secondary: D2 cuts both, one per test) while
 * the writers run at full rate, at a moment drawn from `random` within [minSeconds, maxSeconds) after the fault starts
 * (the draw is a note, with the seed's replay left to the spec); heal as the power cut's.
 */
export function burstPowerCut(random: () => number, minSeconds = 2, maxSeconds = 8, whom: 'primary' | 'secondary' = 'primary'): Fault {
  const cut = powerCut();
  const targets: TargetSelector = whom === 'primary' ? primaryNode : (cluster) => [cluster.secondary];
  return {
    name: whom === 'primary' ? 'burst-power-cut' : 'burst-power-cut-secondary',
    description: `writers at full rate, virsh destroy of ${whom === 'primary' ? 'the serving node' : 'the secondary'} at a seeded moment ${minSeconds}-${maxSeconds} s into the burst; heal: virsh start, drbdadm up, systemctl start heartbeat`,
    targets,
    start: async (ctx, nodes) => {
      const delay = minSeconds + random() * (maxSeconds - minSeconds);
      await sleep(delay * 1000);
      ctx.history.append({ kind: 'note', text: `${BURST_CUT_NOTE} of ${nodes.map((n) => n.name).join(', ')}, ${delay.toFixed(2)} s into the burst` });
      await cut.start(ctx, nodes);
    },
    stop: cut.stop,
  };
}

const peerNode = (ctx: FaultContext, node: LabNode) => [...ctx.cluster.nodes.values()].find((n) => n !== node)!;
/** Each node's peer on the lab network: what a cut between the nodes blocks. */
const peerOf = (ctx: FaultContext, node: LabNode) => peerNode(ctx, node).address;
/** The peer on the path DRBD replicates over: the lab network (guide), the dedicated link (hardened). */
const replicationPeer = (ctx: FaultContext, node: LabNode) => ({
  address: replicationPath(ctx.cluster.topology, peerNode(ctx, node).name).address,
  device: replicationPath(ctx.cluster.topology, node.name).interface,
});
/** Every path heartbeat speaks over: the lab network, and a hardened profile's dedicated link. */
const heartbeatPaths = (ctx: FaultContext, node: LabNode) => {
  const paths = [{ address: peerOf(ctx, node), device: node.labInterface }];
  return ctx.cluster.topology.profile.hardening ? [...paths, replicationPeer(ctx, node)] : paths;
};

const bothNodes: TargetSelector = (cluster) => [...cluster.nodes.values()];

/**
 * F1: the link between the nodes cut (tc drop of everything to the peer, on both), both still
 * reaching the ping node and the clients; heal removes the drop. It is the lab network, the
 * guide's only link; a hardened profile's dedicated link stays up (its point).
 */
export function linkCut(): Fault {
  return {
    name: 'link-cut',
    description: 'tc drop of all traffic between the nodes on the lab NIC, both ways; heal: tc qdisc del',
    targets: bothNodes,
    start: async (ctx, nodes) => {
      for (const node of nodes) await node.block(peerOf(ctx, node));
    },
    stop: unblock,
  };
}

/** F2: linux01's lab NIC down (the cable pulled: virsh domif-setlink). */
export function nicDown(targets: TargetSelector = primaryNode): Fault {
  return {
    name: 'nic-down',
    description: 'virsh domif-setlink of the lab NIC down; heal: link up',
    targets,
    start: async (_, nodes) => {
      for (const node of nodes) await node.setLabLink('down');
    },
    stop: async (_, nodes) => {
      for (const node of nodes) await node.setLabLink('up');
    },
  };
}

/** F3: the VM frozen (virsh suspend; held longer than deadtime); heal: resume. */
export function freeze(targets: TargetSelector = primaryNode): Fault {
  return {
    name: 'freeze',
    description: 'virsh suspend; heal: virsh resume',
    targets,
    start: async (_, nodes) => {
      for (const node of nodes) await node.freeze();
    },
    stop: async (ctx, nodes) => {
      for (const node of nodes) {
        const found = await node.thaw();
        // A STONITH device fences a frozen node by power-cycling it: it never thaws into the cluster.
        if (found !== 'paused') ctx.history.append({ kind: 'note', text: `${node.name} was no longer frozen at the heal (${found}): power-cycled while frozen, nothing to resume` });
      }
    },
  };
}

/**
 * DRBD's port cut between the nodes, on the link DRBD uses (heartbeat still talks); heal: the
 * drop removed on every node that runs (a node that lost power meanwhile lost its rules with it).
 */
export function replicationCut(): Fault {
  return {
    name: 'replication-cut',
    description: "tc drop of DRBD's TCP port between the nodes, on the link DRBD uses; heal: tc qdisc del",
    targets: bothNodes,
    start: async (ctx, nodes) => {
      const port = ctx.cluster.topology.drbd.port;
      for (const node of nodes) {
        const { address, device } = replicationPeer(ctx, node);
        await node.block(address, { protocol: 'tcp', port }, device);
      }
    },
    stop: async (_, nodes) => {
      for (const node of nodes) if ((await node.powerState()) === 'running') await node.unblock();
    },
  };
}

/**
 * F4: DRBD's port cut for `cutSeconds` while the clients write, then linux01 loses power; heal:
 * the cut lifted, linux01 powered on and brought back as the guide's operator would (drbdadm up,
 * heartbeat start). The cut is lifted first: the returning node finds its peer reachable.
 */
export function replicationCutThenCrash(cutSeconds = 20): Fault {
  return sequence('replication-cut-then-crash',
    `tc drop of DRBD's TCP port between the nodes (on the link DRBD uses), ${cutSeconds} s of writes, then virsh destroy of linux01; heal: cut lifted, boot, drbdadm up, heartbeat start`,
    primaryNode, [{ fault: replicationCut(), holdSeconds: cutSeconds }, { fault: powerCut() }], { healOrder: 'start order' });
}

/** F5: heartbeat's UDP port (694) cut between the nodes, on all its paths, while DRBD stays connected. */
export function heartbeatCut(): Fault {
  return {
    name: 'heartbeat-cut',
    description: 'tc drop of UDP 694 between the nodes on every path heartbeat has; heal: tc qdisc del',
    targets: bothNodes,
    start: async (ctx, nodes) => {
      for (const node of nodes) for (const { address, device } of heartbeatPaths(ctx, node)) await node.block(address, { protocol: 'udp', port: 694 }, device);
    },
    stop: unblock,
  };
}

/**
 * F6: linux01's backing disk fails: the LV's device-mapper table swapped for an `error` target
 * (DRBD detaches: on-io-error detach); heal: the table restored and `drbdadm attach`.
 */
export function diskFailure(): Fault {
  let saved = '';
  return {
    name: 'disk-failure',
    description: 'dmsetup table of the data LV replaced by an error target; heal: table restored, drbdadm attach',
    targets: primaryNode,
    start: async (ctx, nodes) => {
      const { vg, lv } = ctx.cluster.topology.lvm;
      const dm = `${vg}-${lv}`;
      for (const node of nodes) {
        saved = (await node.succeed(`dmsetup table ${dm}`)).trim();
        const sectors = (await node.succeed(`blockdev --getsz /dev/mapper/${dm}`)).trim();
        await node.succeed(`dmsetup suspend ${dm} && dmsetup load ${dm} --table "0 ${sectors} error" && dmsetup resume ${dm}`);
        await ctx.attach(`${node.name}: ${dm} table before the failure`, saved);
      }
    },
    stop: async (ctx, nodes) => {
      const { vg, lv } = ctx.cluster.topology.lvm;
      const dm = `${vg}-${lv}`;
      for (const node of nodes) {
        await node.succeed(`dmsetup suspend ${dm} && dmsetup load ${dm} --table "${saved}" && dmsetup resume ${dm}`);
        await node.succeed(`drbdadm attach ${ctx.cluster.topology.drbd.resource} 2>&1 || drbdadm adjust ${ctx.cluster.topology.drbd.resource}`);
      }
    },
  };
}

/** F7: mariadbd killed (SIGKILL) on the active node; heal: started again only if nothing else did. */
export function killMysqld(targets: TargetSelector = primaryNode): Fault {
  return {
    name: 'kill-mysqld',
    description: 'pkill -KILL -x mariadbd; heal: /etc/init.d/mariadb start if it is not running',
    targets,
    start: async (ctx, nodes) => {
      for (const node of nodes) await ctx.attach(`${node.name}: mariadbd killed`, await node.succeed('pgrep -a -x mariadbd; pkill -KILL -x mariadbd'));
    },
    stop: async (ctx, nodes) => {
      for (const node of nodes) {
        const running = (await node.run('pgrep -x mariadbd')).code === 0;
        ctx.history.append({ kind: 'note', text: running ? `${node.name}: mariadbd runs again by itself (systemd Restart=on-abnormal; heartbeat v1 has no monitoring)` : `${node.name}: mariadbd stayed dead; the operator starts it` });
        if (!running) await node.succeed('/etc/init.d/mariadb start');
      }
    },
  };
}

/**
 * F8: auto_failback during the resync, then the up-to-date node dies: a sequence of faults.
 * linux01 loses power; once linux02 serves, `fillMiB` MiB are written on its /data, so that the
 * returning disk has a resync to do, and the resync is slowed to `resyncRate` at runtime on both
 * (DRBD's `disk-options`, not the configuration: this lab's disks would finish in seconds, before
 * heartbeat acts). linux01 comes back as the guide's operator brings it (drbdadm up, heartbeat
 * start); when auto_failback has made it Primary while still SyncTarget, linux02 loses power,
 * held as the scenario says. Heal: what linux01 shows (the guide's pri-on-incon-degr handler may
 * have rebooted it), linux02 powered on and brought back, linux01's operator steps, the
 * configured resync rate again.
 */
export function failbackDuringResync(options: { fillMiB?: number; resyncRate?: string } = {}): Fault {
  const { fillMiB = 64, resyncRate = '1M' } = options;
  const cut = powerCut();
  const home = (ctx: FaultContext) => ctx.cluster.primary;
  const other = (ctx: FaultContext) => ctx.cluster.secondary;
  const slow = (ctx: FaultContext) => `drbdadm disk-options --c-plan-ahead=0 --resync-rate=${resyncRate} ${ctx.cluster.topology.drbd.resource}`;
  let lastCutAt = 0;

  const homeLosesPower: Fault = {
    name: 'power-cut', description: 'virsh destroy of linux01 (powered on again inside the fault)', targets: primaryNode,
    start: (ctx, nodes) => cut.start(ctx, nodes),
    // linux01 came back inside the fault (homeReturns): nothing to heal here.
    stop: async () => {},
  };
  const resyncLoad: Fault = {
    name: 'resync-load', description: `${fillMiB} MiB written on the serving node, its resync slowed to ${resyncRate}/s`, targets: (cluster) => [cluster.secondary],
    start: async (ctx, [node]) => {
      const t = ctx.cluster.topology;
      await node.succeed(`dd if=/dev/zero of=${t.mysql.mountPoint}/f8-resync-load bs=1M count=${fillMiB} conv=fsync status=none && ${slow(ctx)}`);
    },
    // Back to the configured resync rate (disk-options changed it at runtime only).
    stop: async (ctx) => {
      for (const node of ctx.cluster.nodes.values()) await node.succeed(`drbdadm adjust ${ctx.cluster.topology.drbd.resource}`);
    },
  };
  const homeReturns: Fault = {
    name: 'home-returns', description: "linux01 powered on, brought back by the guide's operator, its resync slowed", targets: primaryNode,
    start: async (ctx, [node]) => {
      const t = ctx.cluster.topology;
      await powerOn(ctx, node);
      ctx.history.append({ kind: 'note', text: `${node.name} powered on inside the fault, to fail back during the resync: its rejoin is not what F8 judges`, data: { bootNotJudged: node.name } });
      // A hardened node brings DRBD up at boot by itself; the guide's operator does it by hand.
      if ((await drbdState(node, t)).cs === 'Unconfigured') await node.succeed(`drbdadm up ${t.drbd.resource}`);
      await node.succeed(slow(ctx));
      // (a hardened node's heartbeat may be up already, or waiting for the resync: start joins that)
      if (!(await node.heartbeat.running())) await node.heartbeat.start();
    },
    // The operator's steps on a node that rebooted by itself: DRBD up, heartbeat started.
    stop: async (ctx, [node]) => {
      const t = ctx.cluster.topology;
      if ((await drbdState(node, t)).cs === 'Unconfigured') {
        ctx.history.append({ kind: 'note', text: `operator: drbdadm up and heartbeat start on ${node.name}, which rebooted` });
        await node.succeed(`drbdadm up ${t.drbd.resource}`);
      }
      if (!(await node.heartbeat.running())) await node.heartbeat.start();
    },
  };
  const otherLosesPower: Fault = {
    name: 'power-cut', description: 'virsh destroy of linux02 while linux01 is Primary and SyncTarget', targets: (cluster) => [cluster.secondary],
    start: async (ctx, nodes) => {
      lastCutAt = Date.now();
      await cut.start(ctx, nodes);
    },
    stop: async (ctx, nodes) => {
      await whatHomeShows(ctx, home(ctx), other(ctx).name, lastCutAt);
      await cut.stop(ctx, nodes);
    },
  };
  return sequence('failback-during-resync',
    `virsh destroy of linux01; ${fillMiB} MiB written on linux02, resync slowed to ${resyncRate}/s; linux01 booted, drbdadm up, heartbeat start; once linux01 is Primary while SyncTarget, virsh destroy of linux02; heal: linux02 booted, drbdadm up, heartbeat start`,
    bothNodes, [
      {
        fault: homeLosesPower,
        until: (ctx) => waitFor(`${other(ctx).name} holds the group`, async () => {
          const held = await ctx.cluster.holdings(other(ctx));
          if (!holdsAll(held, ctx.cluster.topology.mysql.datadir)) throw new Error(describeHoldings(held));
        }, { timeoutSeconds: 180, intervalSeconds: 2 }),
      },
      { fault: resyncLoad },
      {
        fault: homeReturns,
        until: async (ctx) => {
          const node = home(ctx);
          const line = await waitFor(`auto_failback makes ${node.name} Primary while it is SyncTarget`, async () => {
            const state = await drbdState(node, ctx.cluster.topology);
            if (state.role.local === 'Primary' && state.cs === 'SyncTarget') return describeState(state);
            if (state.cs === 'Connected' && state.disk.local === 'UpToDate') return `resync ended first: ${describeState(state)}`;
            throw new Error(describeState(state));
          }, { timeoutSeconds: 240, intervalSeconds: 1 });
          await ctx.attach(`${node.name}: /proc/drbd before ${other(ctx).name} loses power`, await node.succeed('cat /proc/drbd'));
          return `${node.name} before ${other(ctx).name} loses power: ${line}`;
        },
      },
      { fault: otherLosesPower },
    ]);
}

/**
 * What linux01 shows once linux02 has been gone for the scenario's hold: the guide's
 * pri-on-incon-degr handler (P7) reboots a Primary left with Inconsistent data and no peer
 * (`echo b > /proc/sysrq-trigger`): the node may not answer, or answer rebooted.
 */
async function whatHomeShows(ctx: FaultContext, home: LabNode, other: string, cutAt: number): Promise<void> {
  const heldSeconds = ((Date.now() - cutAt) / 1000).toFixed(0);
  const seen = await home.run('cat /proc/uptime /proc/drbd; dmesg | grep -i drbd | tail -30', { timeoutSeconds: 20 }).catch(() => undefined);
  if (seen?.code === 0) {
    await ctx.attach(`${home.name}: /proc/uptime, /proc/drbd and the kernel's DRBD lines, ${heldSeconds} s later`, seen.stdout);
    return;
  }
  ctx.history.append({ kind: 'note', text: `${home.name} does not answer ${heldSeconds} s after ${other} lost power` });
  await waitFor(`${home.name} answers SSH again`, () => home.reconnect(20), { timeoutSeconds: 300, intervalSeconds: 5 });
  const uptime = Number((await home.succeed('cut -d" " -f1 /proc/uptime')).trim());
  const rebootedAt = Date.now() - uptime * 1000;
  ctx.history.append({ kind: 'note', text: rebootedAt > cutAt
    ? `${home.name} rebooted ${((rebootedAt - cutAt) / 1000).toFixed(0)} s after ${other} lost power (DRBD's pri-on-incon-degr handler: Primary, Inconsistent, no peer; reboot)`
    : `${home.name} answers again without a reboot (up ${uptime.toFixed(0)} s)` });
}

/** F9: graceful switchover under load: hb_standby on linux01, later on linux02 (the service comes home). */
export function switchover(): Fault {
  return {
    name: 'switchover',
    description: 'hb_standby on linux01; heal: hb_standby on linux02',
    targets: primaryNode,
    start: async (_, nodes) => {
      for (const node of nodes) await node.succeed('/usr/share/heartbeat/hb_standby all');
    },
    stop: async (ctx) => {
      await ctx.cluster.secondary.succeed('/usr/share/heartbeat/hb_standby all');
    },
  };
}
