import { vi } from 'vitest';
import { log } from './log.js';

export interface WaitOptions {
  timeoutSeconds: number;
  intervalSeconds?: number;
}

/**
 * Retries `check` until it stops throwing (vitest's vi.waitFor does the polling), then fails
 * with what was awaited and the last error, so a timeout explains itself.
 */
export async function waitFor<T>(what: string, check: () => T | Promise<T>, options: WaitOptions): Promise<T> {
  let lastError: unknown;
  const started = Date.now();
  let lastReport = started;
  try {
    return await vi.waitFor(async () => {
      try {
        return await check();
      } catch (error) {
        lastError = error;
        // Progress for long waits: what is awaited and how it stands, every 15 s.
        if (Date.now() - lastReport >= 15_000) {
          lastReport = Date.now();
          log('wait', `${((Date.now() - started) / 1000).toFixed(0)} s until ${what}: ${(error as Error).message?.split('\n')[0]}`);
        }
        throw error;
      }
    }, { timeout: options.timeoutSeconds * 1000, interval: (options.intervalSeconds ?? 1) * 1000 });
  } catch {
    const last = lastError instanceof Error ? lastError.message : String(lastError);
    throw new Error(`timed out after ${options.timeoutSeconds} s waiting until ${what}; last attempt: ${last}`);
  }
}
