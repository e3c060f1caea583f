/**
 * What the operator does after a fault that may leave the disks diverged, as the guide's and
 * DRBD's manuals say: the split-brain recovery when DRBD diverged, else the watch over
 * heartbeat's reaction to the healed partition. Every command is a note in the history; what
 * the harness must do beyond it is an intervention (a finding).
 */
import type { Intervention, StartedCluster } from '../../cluster/cluster.js';
import { drbdState } from '../../cluster/drbd/drbd.js';
import { holdsAll } from '../../cluster/heartbeat/holdings.js';
import { sleep } from '../../support/time.js';
import { sustained } from '../../support/wait.js';
import { finalStates } from '../checkers/service-checker.js';
import { haLogSince } from '../clients/ha-log-reader.js';
import { nodesDeclaredDead } from '../history/ha-log.js';
import type { History } from '../history/history.js';
import { quietSecondsFor } from '../scenario/scenario.js';
import { recoverSplitBrain } from './recovery.js';

/**
 * After a divergence, the operator's recovery. heartbeat has already given up the group and
 * restarted itself on both nodes when the partition healed ("Cluster node … returning after
 * partition"), and whichever node holds the VIP then goes on acknowledging writes. So the
 * operator first stops heartbeat on both (the secondary first, as the guide's maintenance
 * does), which stops the clients' writes; only then picks the survivor: the node that
 * acknowledged more of the clients' writes since the fault (DRBD's own "discard-least-changes"
 * rule, decided by the ledger, counted when nothing more can be acknowledged, so the writes a
 * recovery discards are the victim's acknowledgements since the fault, less those DRBD had
 * replicated before its connection dropped). Then DRBD by
 * its manual, the resync, and heartbeat again, home node first, as the steady state's set-up
 * does. A node that stops answering meanwhile and comes back rebooted (heartbeat or a DRBD
 * handler rebooted it) is said, brought back as the guide's operator would (`drbdadm up`), and
 * the recovery starts over. Every command is a note in the history; whatever the harness must
 * do beyond that is an intervention (a finding).
 */
export async function recoverDivergence(cluster: StartedCluster, history: History, haLogMarks: ReadonlyMap<string, number>): Promise<Intervention[]> {
  const r = cluster.topology.drbd.resource;
  const faultAt = history.ops({ process: 'nemesis' })[0]?.at ?? 0;
  const interventions: Intervention[] = [];
  const say = (text: string) => history.append({ kind: 'note', text: `recovery: ${text}` });
  const pickSurvivor = () => {
    const acks = new Map<string, number>();
    for (const op of history.ops({ f: 'write', type: 'ok' })) if (op.at >= faultAt && op.node) acks.set(op.node, (acks.get(op.node) ?? 0) + 1);
    const survivor = (acks.get(cluster.secondary.name) ?? 0) > (acks.get(cluster.primary.name) ?? 0) ? cluster.secondary : cluster.primary;
    const victim = survivor === cluster.primary ? cluster.secondary : cluster.primary;
    say(`with heartbeat stopped on both, since the fault ${[...acks].map(([n, c]) => `${n} acknowledged ${c} write(s)`).join(', ') || 'no write was acknowledged'}; survivor ${survivor.name}: ${victim.name}'s changes since the split are discarded, at most its ${acks.get(victim.name) ?? 0} acknowledged write(s) since the fault (those DRBD replicated before the connection dropped survive)`);
    return survivor;
  };
  let rebooted = false;
  const recover = async (): Promise<boolean> => {
    // A node that rebooted by itself comes back with DRBD down and heartbeat stopped (neither starts at boot in the guide): the operator brings DRBD up first.
    for (const node of cluster.nodes.values()) {
      if ((await drbdState(node, cluster.topology)).cs !== 'Unconfigured') continue;
      say(`operator: drbdadm up ${r} on ${node.name}, which rebooted`);
      await node.succeed(`drbdadm up ${r}`);
    }
    if (!rebooted && (await drbdState(cluster.primary, cluster.topology)).cs === 'Connected') return false;
    for (const node of [cluster.secondary, cluster.primary]) {
      say(`operator stops heartbeat on ${node.name}`);
      const stopped = await cluster.stopHeartbeat(node);
      for (const i of stopped) say(i.message);
      interventions.push(...stopped);
    }
    await recoverSplitBrain(cluster, history, pickSurvivor());
    await cluster.waitInSync(120);
    return true;
  };
  const recovered = await cluster.surviveReboot(faultAt, recover, (node, bootedAt) => {
    rebooted = true;
    say(`${node.name} stopped answering: it rebooted by itself, ${((bootedAt - faultAt) / 1000).toFixed(0)} s after the fault`);
  }, (error) => say(`a node refused SSH for a moment without rebooting (${error.message.split('\n')[0]}); the recovery starts over`));
  if (!recovered) return awaitHeartbeatAfterHeal(cluster, history, say, haLogMarks);
  say(`operator starts heartbeat on ${cluster.primary.name}, then ${cluster.secondary.name}`);
  return [...interventions, ...await startHeartbeatAgain(cluster, say)];
}

/** The operator starts heartbeat where it is not running, home node first, as the steady state's set-up does. */
async function startHeartbeatAgain(cluster: StartedCluster, say: (text: string) => void): Promise<Intervention[]> {
  try {
    const started = await cluster.establishSteadyState({ timeoutSeconds: 240 });
    for (const i of started) say(i.message);
    return started;
  } catch (error) {
    // Not settling is an outcome for the checkers (the settle wait after this records it), not a harness error.
    say(`the steady state did not come back: ${(error as Error).message.split('\n')[0]}`);
    return [];
  }
}

/** How long heartbeat's reaction to a healed partition may take under TCG (restart ~20 s after the heal, then a takeover or an exit: seen up to ~2 min). */
const HEAL_REACTION_SECONDS = 150;
/** The watch lasts at least this long: the restarted daemons exited 53 and 65 s after the heal, after a serving node had looked settled. */
const HEAL_REACTION_MIN_SECONDS = 90;

/**
 * With DRBD still connected nothing needs recovering, but heartbeat still reacts to the healed
 * partition: about 20 s later it restarts itself on both nodes, and the restarted daemon can
 * exit ("Shutdown delayed until Communication is up" … "Heartbeat shutdown complete": F5 on a
 * kept cluster, 2026-11-27, on both nodes, nobody serving). The operator watches at least
 * 90 s, until one node serves with heartbeat running on both for the quiet window; or, once
 * heartbeat has been gone from a node's process table for 15 s, starts it again: finding
 * HB-EXIT-1, with heartbeat's log as evidence. Where heartbeat declared no cluster node dead
 * during the fault (both nodes' ha-log since the fault: the hardened profile's second path kept
 * them talking), there is no partition to return from and nothing to watch: the scenario's own
 * settle window follows (hardened F1: no takeover, and yet 90 s of watching).
 */
async function awaitHeartbeatAfterHeal(cluster: StartedCluster, history: History, say: (text: string) => void, haLogMarks: ReadonlyMap<string, number>): Promise<Intervention[]> {
  const t = cluster.topology;
  const nodes = [...cluster.nodes.values()];
  const names = nodes.map((node) => node.name);
  const logs = await Promise.all(nodes.map((node) => haLogSince(node, haLogMarks)));
  if (logs.every((text) => text !== undefined && nodesDeclaredDead(text, names).length === 0)) {
    say('heartbeat declared no node dead during the fault (ha-log of every node since the fault): no partition to return from, no reaction to watch');
    return [];
  }
  const settled = sustained(quietSecondsFor(t.heartbeat.deadtime));
  // Gone from the process table for 15 s: not the moment of its restart exec (about 6 s under TCG).
  const goneSince = new Map<string, number>();
  const deadline = Date.now() + HEAL_REACTION_SECONDS * 1000;
  const earliest = Date.now() + HEAL_REACTION_MIN_SECONDS * 1000;
  while (Date.now() < deadline) {
    const now = Date.now();
    for (const node of nodes) {
      if (await node.heartbeat.running()) goneSince.delete(node.name);
      else if (!goneSince.has(node.name)) goneSince.set(node.name, now);
    }
    const exited = nodes.filter((node) => now - (goneSince.get(node.name) ?? now) >= 15_000);
    if (exited.length) {
      const names = exited.map((node) => node.name).join(' and ');
      const evidence = (await Promise.all(exited.map(async (node) => `== ${node.name}\n${await node.heartbeat.tail()}`))).join('\n');
      const exit: Intervention = { id: 'HB-EXIT-1', message: `heartbeat exited by itself on ${names} after the healed partition (its restart ended in "shutdown complete"); the operator started it again`, evidence };
      say(exit.message);
      return [exit, ...await startHeartbeatAgain(cluster, say)];
    }
    const serving = [...finalStates(history)].filter(([, state]) => state !== 'unknown' && holdsAll(state, t.mysql.datadir));
    let quiet = false;
    try {
      settled(goneSince.size === 0 && serving.length === 1 ? undefined : 'heartbeat still reacting to the heal');
      quiet = true;
    } catch {
      // Still reacting: look again.
    }
    if (quiet && Date.now() >= earliest) return [];
    await sleep(5000);
  }
  say(`heartbeat's reaction to the heal had not settled after ${HEAL_REACTION_SECONDS} s`);
  return [];
}
