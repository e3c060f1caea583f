import { RESOURCES } from '../history/history.js';
import { availabilityChecker, rtoFloorChecker } from './availability-checker.js';
import { compose, type Checker } from './checker.js';
import { exclusiveChecker, witnessChecker } from './exclusive-checker.js';
import { ledgerChecker, readYourWritesChecker } from './ledger-checker.js';
import { pathCheckers, type ExpectedPath } from './path-checker.js';
import { rejoinChecker } from './rejoin-checker.js';
import { drbdInSyncChecker, groupOrderChecker, promotedOnUpToDateChecker, serviceEndsOnChecker, splitBrainChecker } from './service-checker.js';

/**
 * Every fault scenario's verdict: no acknowledged write lost, never two holders of any resource
 * of the group, each node's resources in the group's order, the service where auto_failback puts it, DRBD back in sync, the service back,
 * a failover no slower than the configuration implies, a node back from a power cut rejoining by itself,
 * and the path the scenario states (which failover, which fence, what DRBD shows, how long an outage).
 */
export function scenarioChecker(expect: { endsOn: string; datadir: string; deadtimeSeconds: number; failbackWaitsForUpToDate?: boolean; path?: ExpectedPath }): Checker {
  const failoverExpected = expect.path !== undefined && expect.path.failover !== 'none' && expect.path.failover !== 'any';
  return compose('scenario', [
    ledgerChecker(),
    readYourWritesChecker(),
    splitBrainChecker(),
    ...RESOURCES.map(exclusiveChecker),
    witnessChecker(),
    groupOrderChecker(),
    serviceEndsOnChecker(expect.endsOn, expect.datadir),
    drbdInSyncChecker(),
    availabilityChecker(),
    rtoFloorChecker({ deadtimeSeconds: expect.deadtimeSeconds, failoverExpected }),
    rejoinChecker(),
    // A hardened profile promises that auto_failback waits for the resync (HD2); the guide makes no such promise (F8 shows it).
    ...(expect.failbackWaitsForUpToDate ? [promotedOnUpToDateChecker()] : []),
    // The path the scenario states: the failover, the fence, DRBD's word, the outage budget.
    ...(expect.path ? pathCheckers(expect.path, expect.endsOn, expect.deadtimeSeconds) : []),
  ]);
}
