import { JumpHost } from './node/jump-host.js';
import { readFileSync } from 'node:fs';
import { log } from '../support/log.js';
import { CLUSTER_FILE } from '../support/paths.js';
import { sleep } from '../support/time.js';
import { waitFor } from '../support/wait.js';
import { drbdState } from './drbd/drbd.js';
import { describeState, inSync } from './drbd/proc-drbd.js';
import { describeHoldings, holdsAll, holdsNone, type Holdings } from './heartbeat/holdings.js';
import { readHoldings } from './heartbeat/read-holdings.js';
import { LabNode, type NodeAccess } from './node/node.js';
import { surviveReboot } from './node/reboot.js';
import { validateEndpoint } from './node/ssh-endpoint.js';
import { validateTopology, type ResolvedTopology } from '../config/topology.js';
import { parseRunContext, reportFiles, type ReportFiles, type RunContext } from '../config/run-context.js';
import { GUIDE_PROFILE, loadProfile, parseProfileName } from '../config/profile.js';
import { deleteSteadySnapshots, heartbeatUnsettledSinceMark, PROCEDURE_KEY_FILE, revertSnapshot, saveSnapshot, SNAPSHOT_PREFIX, steadySnapshotName } from './snapshot.js';

/** Written by the orchestrator once the VMs are up (`.halab/cluster.json`); read by the specs to attach. */
export interface ClusterInfo {
  topology: ResolvedTopology;
  nodes: Record<string, Omit<NodeAccess, 'name' | 'address' | 'labInterface'>>;
  /** What this run is (profile, variant, reports, acceptance file, seed): written by the CLI, read by the specs and the procedure. */
  run: RunContext;
}

/** Reads and checks a cluster file: a hand-edited or stale file is refused with the field that is wrong. */
export function parseClusterInfo(text: string, file: string): ClusterInfo {
  let raw: { topology?: unknown; nodes?: Record<string, { endpoint?: unknown; domain?: unknown }>; run?: unknown };
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file}: not JSON (${(error as Error).message}); start the lab with \`npm run e2e\``);
  }
  // The profile is loaded again from its file by name (the orchestrator wrote the cluster file from it).
  const profileName = (raw.topology as { profile?: { name?: unknown } } | undefined)?.profile?.name;
  const guide = validateTopology(raw.topology, `${file} (topology)`);
  const topology = typeof profileName === 'string' && profileName !== GUIDE_PROFILE ? { ...guide, profile: loadProfile(parseProfileName(profileName, `${file} (topology.profile.name)`), guide) } : guide;
  const nodes: ClusterInfo['nodes'] = {};
  for (const spec of topology.nodes) {
    const entry = raw.nodes?.[spec.name];
    if (!entry) throw new Error(`${file}: no entry for node ${spec.name}: the cluster file is from another topology; run \`npm run e2e -- --fresh\``);
    if (typeof entry.domain !== 'string' || !entry.domain) throw new Error(`${file}: nodes.${spec.name}.domain = ${JSON.stringify(entry.domain)} is not a libvirt domain name`);
    nodes[spec.name] = { endpoint: validateEndpoint(entry.endpoint, `${file}: nodes.${spec.name}.endpoint`), domain: entry.domain };
  }
  return { topology, nodes, run: parseRunContext(raw.run, `${file}: run`) };
}

/** Something the harness had to do to reach a state that the cluster should have reached by itself. */
export interface Intervention {
  id: string;
  message: string;
  evidence: string;
}

/** How a scenario's start state was reached, for the report. */
export interface StartState {
  from: 'snapshot' | 'steady-state set-up';
  seconds: number;
  /** Why the snapshot was or was not used, and what was done about it. */
  note: string;
  interventions: Intervention[];
}

const NO_SNAPSHOT_ON_VOLATILE_DISKS = 'volatile data disks (--disks volatile) cannot be snapshotted: libvirt\'s internal snapshots need disks it manages';

/** Running, with one open SSH connection per node, and the verbs a spec speaks. */
export class StartedCluster {
  /** Where this run's reports go, from its run context. */
  readonly reports: ReportFiles;

  private constructor(readonly topology: ResolvedTopology, readonly nodes: ReadonlyMap<string, LabNode>, readonly run: RunContext) {
    this.reports = reportFiles(run.reportsDir);
  }

  /** Attaches to the running cluster described by the orchestrator (inside the lab). */
  static async attach(file = process.env.HALAB_CLUSTER_JSON ?? CLUSTER_FILE): Promise<StartedCluster> {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new Error(`no running lab cluster (${file}: ${(error as Error).message}); start one with \`npm run e2e\``);
    }
    const info = parseClusterInfo(text, file);
    const nodes = await Promise.all(info.topology.nodes.map((spec) => LabNode.connect({ ...spec, ...info.nodes[spec.name], labInterface: info.topology.network.interface, ...(info.run.libvirtUri && { libvirtUri: info.run.libvirtUri }) })));
    return new StartedCluster(info.topology, new Map(nodes.map((node) => [node.name, node])), info.run);
  }

  node(name: string): LabNode {
    const node = this.nodes.get(name);
    if (!node) throw new Error(`no node ${name} in the cluster (nodes: ${[...this.nodes.keys()].join(', ')})`);
    return node;
  }

  /** The hypervisor host the guests are reached through, when the VMs run on another host (`libvirtUri`). */
  get jump(): JumpHost | undefined {
    return this.primary.jump;
  }

  /** The node the guide prepares first and that heartbeat prefers (linux01). */
  get primary(): LabNode {
    return this.node(this.topology.primary.name);
  }

  get secondary(): LabNode {
    return this.node(this.topology.secondary.name);
  }

  /** Runs a check on every node at once, in topology order. */
  each<T>(fn: (node: LabNode) => Promise<T>): Promise<T[]> {
    return Promise.all(this.topology.nodes.map((spec) => fn(this.node(spec.name))));
  }

  holdings(node: LabNode): Promise<Holdings> {
    return readHoldings(node, this.topology);
  }

  /** `name` holds every resource (MySQL on the DRBD datadir), every other node none: the guide's V1. */
  async waitServedBy(name: string, timeoutSeconds = 240): Promise<void> {
    await waitFor(`${name} holds every resource and the other nodes none`, async () => {
      const all = await this.each(async (node) => ({ node, held: await this.holdings(node) }));
      const ok = all.every(({ node, held }) => (node.name === name ? holdsAll(held, this.topology.mysql.datadir) : holdsNone(held)));
      if (!ok) throw new Error(all.map(({ node, held }) => `${node.name}: ${describeHoldings(held)}`).join('; '));
    }, { timeoutSeconds, intervalSeconds: 2 });
  }

  /** Connected, both disks UpToDate: the guide's V4. */
  async waitInSync(timeoutSeconds = 240): Promise<void> {
    await waitFor('DRBD Connected and UpToDate/UpToDate', async () => {
      const state = await drbdState(this.primary, this.topology);
      if (!inSync(state)) throw new Error(describeState(state));
    }, { timeoutSeconds, intervalSeconds: 2 });
  }

  /**
   * The state every scenario starts from, established rather than assumed: DRBD up on both,
   * heartbeat running on both, linux01 holding every resource, linux02 none, both UpToDate.
   * With `freshHeartbeat`, heartbeat is restarted on both (secondary first): an earlier fault
   * can leave heartbeat v1 believing it holds resources it failed to acquire. Returns what the
   * harness had to do beyond that, so the caller reports it as a finding, never silently.
   */
  async establishSteadyState(options: { freshHeartbeat?: boolean; timeoutSeconds?: number } = {}): Promise<Intervention[]> {
    const { primary, secondary, topology: t } = this;
    const interventions: Intervention[] = [];
    for (const node of [primary, secondary]) {
      if ((await drbdState(node, t)).cs === 'Unconfigured') await node.succeed(`drbdadm up ${t.drbd.resource}`);
    }
    if (options.freshHeartbeat) for (const node of [secondary, primary]) interventions.push(...await this.stopHeartbeat(node));
    for (const node of [primary, secondary]) if (!(await node.heartbeat.running())) await node.heartbeat.start();
    let deadline = Date.now() + (options.timeoutSeconds ?? 150) * 1000;
    let takeovers = 0;
    for (;;) {
      try {
        // Under TCG the group starts in 25-45 s: a minute at a time, then look at who holds what.
        await this.waitServedBy(primary.name, Math.max(20, Math.min(60, (deadline - Date.now()) / 1000)));
        await this.waitInSync(Math.max(30, (deadline - Date.now()) / 1000));
        break;
      } catch (error) {
        // Seen after fresh restarts in this lab: both heartbeats up ("Initial resource acquisition
        // complete") and neither acquires the group; or one acquires, hands it over, and nobody
        // takes it (a recovery in CI, 2026-11-27). Whenever nothing is held: hb_takeover, twice at most.
        const held = await this.each((node) => this.holdings(node));
        if (held.every(holdsNone) && takeovers < 2) {
          takeovers++;
          interventions.push({
            id: 'HB-RESTART-1',
            message: `heartbeat runs on both nodes but neither holds the resources: the harness ran hb_takeover all on ${primary.name}${takeovers > 1 ? ' (again)' : ''}`,
            evidence: await primary.heartbeat.tail(),
          });
          await primary.heartbeat.takeover();
          // The acquisition takes 25-45 s under TCG: give it a minute whatever was left.
          deadline = Math.max(deadline, Date.now() + 60_000);
          continue;
        }
        if (Date.now() >= deadline) throw error;
      }
    }
    return interventions;
  }

  /**
   * heartbeat stopped in order on `node`, given `seconds`, and the node left holding nothing.
   * After a healed partition heartbeat v1 restarts itself on both nodes; the restarted daemon
   * can defer its shutdown forever ("Shutdown delayed until current resource activity
   * finishes": HB-STOP-1, the harness kills it), or exit without releasing what the daemon
   * before the restart had acquired (HB-ORPHAN-1). Either way the harness releases the group by
   * hand and says so, with heartbeat's processes and log as the evidence. A restarted daemon
   * also escapes Debian's systemd unit (HB-UNTRACKED-1): it is stopped with heartbeat's own signal.
   */
  async stopHeartbeat(node: LabNode, seconds = 90): Promise<Intervention[]> {
    const evidence = async () => [
      (await node.run('ps -eo pid,etimes,args | grep -E "heartbeat|ResourceManager|drbddisk|Filesystem|IPaddr|mariadb|systemctl" | grep -v grep')).stdout,
      await node.heartbeat.tail(),
    ].join('\n');
    const interventions: Intervention[] = [];
    const { stopped, outsideSystemd } = await node.heartbeat.stopWithin(seconds);
    if (outsideSystemd.length) {
      // Looked at only when it happened: the pids are in the message, the restart in heartbeat's log.
      interventions.push({
        id: 'HB-UNTRACKED-1',
        message: `heartbeat on ${node.name} ran outside systemd's view (master pid ${outsideSystemd.join(', ')}, after it restarted itself): systemctl stop left it running, the harness sent it SIGTERM as heartbeat -k does`,
        evidence: await evidence(),
      });
    }
    if (!stopped) {
      const seen = await evidence();
      await node.heartbeat.kill();
      const released = await node.heartbeat.releaseByHand(this.topology);
      interventions.push({
        id: 'HB-STOP-1',
        message: `systemctl stop heartbeat on ${node.name} did not finish in ${seconds} s: the harness killed heartbeat and released the group by hand`,
        evidence: `${seen}\n# released by hand\n${released}`,
      });
    }
    // A resource script still running when heartbeat went can promote or mount seconds later:
    // after any release by hand, look again 3 s later and release whatever is held (four times at most).
    let justReleased = interventions.length > 0;
    for (let look = 1; ; look++) {
      const left = await this.holdings(node);
      if (holdsNone(left)) {
        if (!justReleased) break;
        justReleased = false;
        await sleep(3000);
        continue;
      }
      if (look > 4) throw new Error(`${node.name} still holds ${describeHoldings(left)} after heartbeat's stop and repeated releases by hand`);
      const seen = await evidence();
      const released = await node.heartbeat.releaseByHand(this.topology);
      if (!interventions.some((i) => i.id === 'HB-ORPHAN-1')) {
        interventions.push({
          id: 'HB-ORPHAN-1',
          message: `heartbeat on ${node.name} stopped but left ${describeHoldings(left)} held: the harness released them by hand`,
          evidence: `${seen}\n# released by hand\n${released}`,
        });
      }
      justReleased = true;
    }
    return interventions;
  }

  /** surviveReboot (node/reboot.ts) over this cluster's nodes. */
  surviveReboot<T>(since: number, work: () => Promise<T>, onReboot: (node: LabNode, bootedAt: number) => void, onUnreachable?: (error: Error) => void): Promise<T> {
    return surviveReboot([...this.nodes.values()], since, work, onReboot, 300, onUnreachable);
  }

  /**
   * The start state of every scenario. From the steady-state snapshot of this procedure's code
   * when there is one (revert both, resume together, then V1, V4, heartbeat and clocks checked,
   * not assumed); otherwise the steady state is established and saved as that snapshot for the
   * next scenario. A snapshot that cannot be taken or used is said, and the set-up used instead.
   */
  async reset(): Promise<StartState> {
    const started = Date.now();
    const seconds = () => (Date.now() - started) / 1000;
    const name = await steadySnapshotName(this.run);
    const nodes = [...this.nodes.values()];
    let note: string;
    if (this.run.disks === 'volatile') {
      // libvirt's internal snapshots need disks libvirt knows; a volatile one is nbdkit's. Each scenario pays the set-up.
      const interventions = await this.establishSteadyState({ freshHeartbeat: true });
      return { from: 'steady-state set-up', seconds: seconds(), note: `${NO_SNAPSHOT_ON_VOLATILE_DISKS}: steady state set up`, interventions };
    }
    try {
      const lists = await this.snapshotLists();
      if (lists.every((list) => list.includes(name))) {
        await revertSnapshot(nodes, name);
        const offsets = await this.verifyReverted();
        return { from: 'snapshot', seconds: seconds(), note: `reverted to ${name}; clocks ${offsets}`, interventions: [] };
      }
      const stale = [...new Set(lists.flat().filter((s) => s.startsWith(SNAPSHOT_PREFIX)))];
      note = stale.length ? `snapshot ${stale.join(', ')} was taken by other procedure code or topology (now ${name})` : `no snapshot ${name} yet`;
    } catch (error) {
      note = `snapshot ${name} could not be used: ${(error as Error).message.split('\n')[0]}`;
      log('reset', note);
      // A failed revert can leave the connections of before dead: reconnect before the set-up.
      await Promise.all(nodes.map((node) => node.reconnect(30).catch(() => {})));
    }
    const interventions = await this.establishSteadyState({ freshHeartbeat: true });
    try {
      await this.saveAs(name);
      note += `; steady state established and saved as ${name}`;
    } catch (error) {
      note += `; steady state established, but the snapshot could not be saved: ${(error as Error).message.split('\n')[0]}`;
    }
    return { from: 'steady-state set-up', seconds: seconds(), note, interventions };
  }

  /**
   * The steady state just proven (V1, V4) becomes every scenario's start: saved as this procedure
   * code's snapshot unless there is one already, so the first scenario reverts too instead of
   * restarting heartbeat and waiting (a minute under TCG). Says what it did; throws when it
   * could not, for the caller to report (the scenarios then set the steady state up themselves).
   */
  async saveSteadyState(): Promise<string> {
    if (this.run.disks === 'volatile') throw new Error(NO_SNAPSHOT_ON_VOLATILE_DISKS);
    const name = await steadySnapshotName(this.run);
    if ((await this.snapshotLists()).every((list) => list.includes(name))) return `already saved as ${name}`;
    await this.expectSteady('');
    await this.saveAs(name);
    return `saved as ${name}`;
  }

  private snapshotLists(): Promise<string[][]> {
    return Promise.all([...this.nodes.values()].map((node) => node.vm.snapshots()));
  }

  /** heartbeat runs on every node, V1 and V4 hold (30 s each to show it); `when` ends the error messages. */
  private async expectSteady(when: string): Promise<void> {
    for (const node of this.nodes.values()) if (!(await node.heartbeat.running())) throw new Error(`heartbeat is not running on ${node.name}${when}`);
    await this.waitServedBy(this.primary.name, 30);
    await this.waitInSync(30);
  }

  /** Only a cluster that this very procedure code built is saved under its key. */
  private async saveAs(name: string): Promise<void> {
    const nodes = [...this.nodes.values()];
    const built = await Promise.all(nodes.map(async (node) => (await node.run(`cat ${PROCEDURE_KEY_FILE}`)).stdout.trim()));
    if (!built.every((k) => `${SNAPSHOT_PREFIX}${k}` === name)) throw new Error(`the procedure has not passed with this code on every node (${PROCEDURE_KEY_FILE}: ${built.map((k) => k || 'none').join(', ')}); run 01-procedure`);
    await saveSnapshot(nodes, name);
    // A heartbeat that reacted around the save (a late heartbeat while the VMs were suspended one
    // after the other) is in the snapshot: every scenario would start mid-takeover. Looked at after
    // heartbeat has had deadtime and more to notice.
    await sleep((this.topology.heartbeat.deadtime + 5) * 1000);
    const unsettled = await heartbeatUnsettledSinceMark(nodes);
    if (unsettled.length) {
      await deleteSteadySnapshots(nodes);
      throw new Error(`heartbeat reacted to a silent peer around the snapshot, which was deleted: ${unsettled[0]}`);
    }
  }

  /**
   * After a revert: heartbeat runs on both, V1 and V4 hold, and every clock is within 2.5 s of
   * the harness's (a resumed TCG guest's clock wanders for a while; the observers measure and
   * apply each node's offset anyway). Returns the offsets, for the report.
   */
  private async verifyReverted(): Promise<string> {
    await this.expectSteady(' after the revert');
    const unsettled = await heartbeatUnsettledSinceMark([...this.nodes.values()]);
    if (unsettled.length) throw new Error(`heartbeat reacted to a silent peer after the revert (${unsettled[0]})`);
    const offsets: string[] = [];
    for (const node of this.nodes.values()) {
      const { offsetMs } = await node.clockOffset(3);
      if (Math.abs(offsetMs) > 2500) throw new Error(`${node.name}'s clock is ${offsetMs} ms off the harness's after the revert`);
      offsets.push(`${node.name} ${offsetMs} ms`);
    }
    return offsets.join(', ');
  }

  close(): void {
    for (const node of this.nodes.values()) node.dispose();
    // The hypervisor host's connection too, when the VMs run on another host: nothing left open.
    JumpHost.disposeAll();
  }
}
