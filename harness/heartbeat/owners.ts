import type { LabNode } from '../node/node.js';
import type { ResolvedTopology } from '../topology/topology.js';

/** What a node holds of the heartbeat resource group, read from the node itself. */
export interface Ownership {
  node: string;
  vip: boolean;
  drbdPrimary: boolean;
  mounted: boolean;
  mysqld: boolean;
  /** mysqld's data directory (its working directory), when it runs. */
  datadir?: string;
}

/** One SSH round trip: the four facts the guide's V1 check looks at. */
export async function ownership(node: LabNode, t: ResolvedTopology): Promise<Ownership> {
  const script = [
    `ip -o -4 addr show | grep -qw ${t.network.vip} && echo vip=1 || echo vip=0`,
    `grep -q ' ro:Primary/' /proc/drbd 2>/dev/null && echo primary=1 || echo primary=0`,
    `grep -q '^${t.drbd.device} ${t.mysql.mountPoint} ' /proc/mounts && echo mounted=1 || echo mounted=0`,
    // Under systemd mariadbd gets its datadir from the config, not --datadir; it runs chdir'ed into it.
    `pid=$(pgrep -x 'mariadbd|mysqld' | head -1); [ -n "$pid" ] && echo mysqld=1 && echo datadir=$(readlink /proc/$pid/cwd) || echo mysqld=0`,
  ].join('; ');
  const facts = new Map((await node.succeed(script)).trim().split('\n').map((line) => line.split('=', 2) as [string, string]));
  return {
    node: node.name,
    vip: facts.get('vip') === '1',
    drbdPrimary: facts.get('primary') === '1',
    mounted: facts.get('mounted') === '1',
    mysqld: facts.get('mysqld') === '1',
    datadir: facts.get('datadir'),
  };
}

/** True when the node holds every resource of the group, with MySQL on the DRBD datadir. */
export function ownsAll(o: Ownership, t: ResolvedTopology): boolean {
  return o.vip && o.drbdPrimary && o.mounted && o.mysqld && o.datadir === t.mysql.datadir;
}

export function ownsNone(o: Ownership): boolean {
  return !o.vip && !o.drbdPrimary && !o.mounted && !o.mysqld;
}

export function describeOwnership(o: Ownership): string {
  const held = (['vip', 'drbdPrimary', 'mounted', 'mysqld'] as const).filter((k) => o[k]);
  return `${o.node}: ${held.length ? held.join(', ') : 'nothing'}${o.datadir ? ` (datadir ${o.datadir})` : ''}`;
}
