/** Progress lines for slow work: `[  12.3s] topic: message`, timed from process start. */
const startedAt = performance.now();

export function log(topic: string, message: string): void {
  const seconds = ((performance.now() - startedAt) / 1000).toFixed(1).padStart(6);
  process.stderr.write(`[${seconds}s] ${topic}: ${message}\n`);
}
