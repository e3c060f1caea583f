import * as allure from 'allure-js-commons';
import { drbdState } from '../drbd/drbd.js';
import { log } from '../report/log.js';
import { describeState, inSync } from '../drbd/proc-drbd.js';
import type { LabNode } from '../node/node.js';
import type { ResolvedTopology } from '../topology/topology.js';
import { waitFor } from '../wait/wait.js';
import { describeOwnership, ownership, ownsAll, ownsNone } from './owners.js';

/**
 * The state every scenario starts from, established rather than assumed: DRBD up on both,
 * heartbeat running on both, linux01 holding every resource, linux02 none, both UpToDate.
 * A node that returned from a crash gets `drbdadm up` first, as its boot would do.
 * With `freshHeartbeat`, heartbeat is restarted on both (secondary first, then primary): an
 * earlier fault can leave heartbeat v1 believing it holds resources it failed to acquire.
 */
export async function establishSteadyState(primary: LabNode, secondary: LabNode, t: ResolvedTopology,
  options: { freshHeartbeat?: boolean; timeoutSeconds?: number } = {}): Promise<void> {
  for (const node of [primary, secondary]) {
    if ((await drbdState(node, t)).cs === 'Unconfigured') await node.succeed(`drbdadm up ${t.drbd.resource}`);
  }
  if (options.freshHeartbeat) {
    for (const node of [secondary, primary]) await node.succeed('systemctl stop heartbeat');
  }
  for (const node of [primary, secondary]) {
    if ((await node.run('systemctl is-active heartbeat')).code !== 0) await node.succeed('systemctl start heartbeat');
  }
  const settled = () => waitFor(`${primary.name} holds every resource, ${secondary.name} none, DRBD UpToDate/UpToDate`, async () => {
    const [p, s, d] = await Promise.all([ownership(primary, t), ownership(secondary, t), drbdState(primary, t)]);
    if (!ownsAll(p, t) || !ownsNone(s)) throw new Error(`${describeOwnership(p)}; ${describeOwnership(s)}`);
    if (!inSync(d)) throw new Error(describeState(d));
  }, { timeoutSeconds: options.timeoutSeconds ?? 150, intervalSeconds: 2 });
  try {
    await settled();
  } catch (error) {
    // Seen after the SIGKILL scenario: both heartbeats up, neither acquires the group
    // ("Local Resource acquisition completed" without running it). hb_takeover is the
    // operator's tool for exactly this; the report says it was needed.
    const [p, s] = await Promise.all([ownership(primary, t), ownership(secondary, t)]);
    if (!ownsNone(p) || !ownsNone(s)) throw error;
    const message = `heartbeat runs on both nodes but neither holds the resources: hb_takeover all on ${primary.name}`;
    log('finding', `HB-RESTART-1: ${message}`);
    await allure.step(`HB-RESTART-1: ${message}`, async () => {
      await allure.attachment(`${primary.name} ha-log`, await primary.succeed('tail -n 40 /var/log/ha-log'), 'text/plain');
      await primary.succeed('/usr/share/heartbeat/hb_takeover all');
    });
    await settled();
  }
}
