import { RESOURCES } from '../history/history.js';
import { availabilityChecker, rtoFloorChecker } from './availability-checker.js';
import { compose, type Checker } from './checker.js';
import { exclusiveChecker } from './exclusive-checker.js';
import { ledgerChecker, readYourWritesChecker } from './ledger-checker.js';
import { rejoinChecker } from './rejoin-checker.js';
import { drbdInSyncChecker, groupOrderChecker, promotedOnUpToDateChecker, serviceEndsOnChecker, splitBrainChecker } from './service-checker.js';

/**
 * Every fault scenario's verdict: no acknowledged write lost, never two holders of any resource
 * of the group, each node's resources in the group's order, the service where auto_failback puts it, DRBD back in sync, the service back,
 * a failover no slower than the configuration implies, a node back from a power cut rejoining by itself.
 */
export function scenarioChecker(expect: { endsOn: string; datadir: string; deadtimeSeconds: number; failbackWaitsForUpToDate?: boolean }): Checker {
  return compose('scenario', [
    ledgerChecker(),
    readYourWritesChecker(),
    splitBrainChecker(),
    ...RESOURCES.map(exclusiveChecker),
    groupOrderChecker(),
    serviceEndsOnChecker(expect.endsOn, expect.datadir),
    drbdInSyncChecker(),
    availabilityChecker(),
    rtoFloorChecker(expect.deadtimeSeconds),
    rejoinChecker(),
    // A hardened profile promises that auto_failback waits for the resync (HD2); the guide makes no such promise (F8 shows it).
    ...(expect.failbackWaitsForUpToDate ? [promotedOnUpToDateChecker()] : []),
  ]);
}
