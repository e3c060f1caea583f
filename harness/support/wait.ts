import { log } from './log.js';
import { sleep } from './time.js';

export interface WaitOptions {
  timeoutSeconds: number;
  intervalSeconds?: number;
}

/**
 * Retries `check` until it stops throwing, then fails with what was awaited and the last error,
 * so a timeout explains itself; reports progress every 15 s. A plain loop rather than
 * `vi.waitFor`: the same waits run in the CLI and in provisioning, outside any test runner.
 */
export async function waitFor<T>(what: string, check: () => T | Promise<T>, options: WaitOptions): Promise<T> {
  const started = Date.now();
  const deadline = started + options.timeoutSeconds * 1000;
  let lastReport = started;
  for (;;) {
    const attemptAt = Date.now();
    try {
      return await check();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (Date.now() >= deadline) throw new Error(`timed out after ${options.timeoutSeconds} s waiting until ${what}; last attempt: ${message}`);
      if (Date.now() - lastReport >= 15_000) {
        lastReport = Date.now();
        log('wait', `${((Date.now() - started) / 1000).toFixed(0)} s until ${what}: ${message.split('\n')[0]}`);
      }
    }
    await sleep(Math.max(0, Math.min((options.intervalSeconds ?? 1) * 1000 - (Date.now() - attemptAt), deadline - Date.now())));
  }
}
