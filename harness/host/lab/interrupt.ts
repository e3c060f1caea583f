/**
 * Ctrl-C handling: the orchestrator aborts this signal, every lab command started before then
 * is cancelled, and cleanup runs with a fresh signal so that it is not cancelled itself.
 */
let controller = new AbortController();

export function interruptLabCommands(reason: string): void {
  controller.abort(new Error(reason));
}

export function labCommandSignal(): AbortSignal {
  return controller.signal;
}

export function resetInterrupt(): void {
  controller = new AbortController();
}
