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

/**
 * A check for `waitFor` that passes only once a condition has held, without a break, for
 * `seconds`: call it with the current problem (undefined when the condition holds). A problem
 * starts the count again, so a state that flips back after a first good sample is not "settled".
 */
export function sustained(seconds: number, now: () => number = Date.now): (problem: string | undefined) => void {
  let since: number | undefined;
  return (problem) => {
    if (problem !== undefined) {
      since = undefined;
      throw new Error(problem);
    }
    since ??= now();
    const held = (now() - since) / 1000;
    if (held < seconds) throw new Error(`held ${held.toFixed(0)} s of the ${seconds} s it must hold`);
  };
}
