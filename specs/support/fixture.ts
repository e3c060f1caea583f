/**
 * What every acceptance spec shares: the running cluster, the procedure's secrets, a mysql2
 * pool on the VIP, and on failure the nodes' logs attached to the report.
 */
import type mysql from 'mysql2/promise';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { attachDiagnostics, StartedCluster, vipPool, withTimeout } from '../../harness/index.js';
import { evidenceBefore, HARNESS_DB_USER, type Procedure, procedure } from '../../provision/index.js';

export interface Lab {
  cluster: StartedCluster;
  p: Procedure;
  pool: mysql.Pool;
  credentials: { user: string; password: string };
}

export function useLab(): Lab {
  const lab = {} as Lab;
  beforeAll(async () => {
    lab.cluster = await StartedCluster.attach();
    lab.p = procedure(lab.cluster);
    lab.credentials = { user: HARNESS_DB_USER, password: lab.p.secrets.harnessDbPassword };
    lab.pool = vipPool(lab.p.t, lab.credentials, lab.cluster.jump);
    // Fetched while linux01 is up, so the fault specs can still compare after it loses power.
    await evidenceBefore(lab.p);
  });
  afterEach(async (context) => {
    if (context.task.result?.state === 'fail' && lab.cluster) await attachDiagnostics([lab.cluster.primary, lab.cluster.secondary]);
  });
  afterAll(async () => {
    // A connection to a node that lost power never answers QUIT: do not wait for it.
    await withTimeout(lab.pool?.end() ?? Promise.resolve(), 5000, 'closing the VIP pool').catch(() => {});
    lab.cluster?.close();
  });
  return lab;
}
