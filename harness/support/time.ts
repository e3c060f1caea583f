import { sleep } from 'zx';

export { sleep };

/**
 * The one timeout helper: rejects with `what` after `ms`, clears its timer either way, and
 * calls `onTimeout` (e.g. close the SSH channel) so nothing is left running behind it.
 */
export async function withTimeout<T>(work: Promise<T>, ms: number, what: string, onTimeout?: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout?.();
      reject(new Error(`${what}: no answer within ${ms / 1000} s`));
    }, ms);
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}
