import { sleep } from '../../support/time.js';
import { primaryNode, type Fault, type TargetSelector } from './fault.js';

/** The guide's own test (V2): heartbeat stopped in order on the node, started again to heal. */
export function stopHeartbeat(targets: TargetSelector = primaryNode): Fault {
  return {
    name: 'stop-heartbeat',
    description: 'systemctl stop heartbeat (the group is released in order); heal: systemctl start heartbeat',
    targets,
    start: async (_, nodes) => {
      for (const node of nodes) await node.heartbeat.stop();
    },
    stop: async (_, nodes) => {
      for (const node of nodes) await node.heartbeat.start();
    },
  };
}

/**
 * SIGKILL of every heartbeat process: nothing is released, the node keeps its resources with no
 * cluster manager. Held for `holdSeconds`, long enough for the peer to pass deadtime and act.
 */
export function killHeartbeat(targets: TargetSelector = primaryNode, holdSeconds = 60): Fault {
  return {
    name: 'kill-heartbeat',
    description: `pkill -KILL -x heartbeat, held ${holdSeconds} s; heal: systemctl start heartbeat`,
    targets,
    start: async (ctx, nodes) => {
      for (const node of nodes) await ctx.attach(`${node.name}: heartbeat processes killed`, await node.heartbeat.kill());
      await sleep(holdSeconds * 1000);
    },
    stop: async (_, nodes) => {
      for (const node of nodes) await node.heartbeat.start();
    },
  };
}

/**
 * Power cut (virsh destroy): no shutdown, no flush. Heal is the power coming back and what the
 * guide's operator does on the returning node: `drbdadm up`, then heartbeat.
 */
export function powerCut(targets: TargetSelector = primaryNode): Fault {
  return {
    name: 'power-cut',
    description: 'virsh destroy (no shutdown, no flush); heal: virsh start, drbdadm up, systemctl start heartbeat',
    targets,
    start: async (ctx, nodes) => {
      for (const node of nodes) {
        await node.crash();
        ctx.observers.get(node.name)?.markPoweredOff(ctx.history.now());
      }
    },
    stop: async (ctx, nodes) => {
      for (const node of nodes) {
        await node.boot();
        await node.succeed(`drbdadm up ${ctx.cluster.topology.drbd.resource}`);
        await node.heartbeat.start();
      }
    },
  };
}
