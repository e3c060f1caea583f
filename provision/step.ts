import { redact } from './secrets.js';
import { CommandError, consoleReporter, type CommandResult, type LabNode, type Reporter, type RunOptions, log } from '../harness/index.js';

/**
 * The commands one step ran, with their output, for the step's report entry. Secrets are
 * replaced before anything is kept, printed or thrown.
 */
export class Transcript {
  private readonly entries: string[] = [];
  constructor(private readonly secrets: readonly string[]) {}

  redact(text: string): string {
    return redact(text, this.secrets);
  }

  private record(node: LabNode, result: CommandResult): CommandResult {
    const clean = { ...result, command: this.redact(result.command), stdout: this.redact(result.stdout), stderr: this.redact(result.stderr) };
    const output = [clean.stdout.trimEnd(), clean.stderr.trimEnd()].filter(Boolean).join('\n');
    this.entries.push(`[${node.name}]# ${clean.command}${output ? `\n${output}` : ''}${clean.code ? `\n(exit ${clean.code})` : ''}`);
    return clean;
  }

  /** Runs a command whatever its exit code, and records it. */
  async run(node: LabNode, command: string, options?: RunOptions): Promise<CommandResult> {
    const result = await node.run(command, options);
    this.record(node, result);
    return result;
  }

  /** Runs a command that must succeed; returns its (unredacted) stdout. */
  async succeed(node: LabNode, command: string, options?: RunOptions): Promise<string> {
    const result = await node.run(command, options);
    const clean = this.record(node, result);
    if (result.code !== 0) throw new CommandError(node.name, clean, 'failed');
    return result.stdout;
  }

  note(text: string): void {
    this.entries.push(`# ${this.redact(text)}`);
  }

  text(): string {
    return `${this.entries.join('\n\n')}\n`;
  }
}

export interface Step {
  /** The guide's step id (P1…P10, S1…S7, H1…H4), or E for the guide's environment. */
  id: string;
  title: string;
  /** Says why the step's effect is already in place, so that a rerun continues instead of repeating. */
  done?: (t: Transcript) => Promise<string | undefined>;
  run: (t: Transcript) => Promise<void>;
}

export class StepRefused extends Error {
  override name = 'StepRefused';
}

/**
 * Runs a step as a reported step named by its id (Allure in the spec, the console in `npm run
 * provision`), with its commands attached; a step whose effect is in place says so and is skipped.
 */
export async function runStep(step: Step, secrets: readonly string[], report: Reporter = consoleReporter): Promise<void> {
  const name = `${step.id} ${step.title}`;
  await report.step(name, async () => {
    const transcript = new Transcript(secrets);
    const started = performance.now();
    try {
      const already = await step.done?.(transcript);
      if (already) {
        log(step.id, `${step.title}: already in place (${already})`);
        transcript.note(`already in place: ${already}`);
        return;
      }
      log(step.id, step.title);
      await step.run(transcript);
      log(step.id, `done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    } catch (error) {
      log(step.id, `FAILED: ${transcript.redact((error as Error).message.split('\n')[0])}`);
      throw error;
    } finally {
      await report.attach(`${step.id} commands`, transcript.text(), 'text/plain');
    }
  });
}

export async function runSteps(steps: Step[], secrets: readonly string[], report: Reporter = consoleReporter): Promise<void> {
  for (const step of steps) await runStep(step, secrets, report);
}
