import { redact } from './secrets.js';
import { CommandError, consoleReporter, type CommandResult, type LabNode, type Reporter, type RunOptions, log } from '../harness/index.js';

/** One command a step ran: where, what (with its input, for files written from stdin), and what came back. */
export interface TranscriptEntry {
  node: string;
  command: string;
  /** What the command read on stdin (a rendered configuration file), secrets redacted. */
  stdin?: string;
  output: string;
  code: number;
  /** `check`: the step looking whether its effect is in place (its precondition); `run`: the step's work. */
  during: 'check' | 'run';
}

/**
 * The commands one step ran, with their output, for the step's report entry and the runbook.
 * Secrets are replaced before anything is kept, printed or thrown.
 */
export class Transcript {
  /** Commands and notes in the order they happened. */
  private readonly items: ({ entry: TranscriptEntry } | { note: string })[] = [];
  during: TranscriptEntry['during'] = 'run';
  constructor(private readonly secrets: readonly string[]) {}

  redact(text: string): string {
    return redact(text, this.secrets);
  }

  private record(node: LabNode, result: CommandResult, options?: RunOptions): CommandResult {
    const clean = { ...result, command: this.redact(result.command), stdout: this.redact(result.stdout), stderr: this.redact(result.stderr) };
    const output = [clean.stdout.trimEnd(), clean.stderr.trimEnd()].filter(Boolean).join('\n');
    const stdin = typeof options?.stdin === 'string' ? this.redact(options.stdin) : undefined;
    this.items.push({ entry: { node: node.name, command: clean.command, ...(stdin !== undefined && { stdin }), output, code: clean.code, during: this.during } });
    return clean;
  }

  /** Runs a command whatever its exit code, and records it. */
  async run(node: LabNode, command: string, options?: RunOptions): Promise<CommandResult> {
    const result = await node.run(command, options);
    this.record(node, result, options);
    return result;
  }

  /** Runs a command that must succeed; returns its (unredacted) stdout. */
  async succeed(node: LabNode, command: string, options?: RunOptions): Promise<string> {
    const result = await node.run(command, options);
    const clean = this.record(node, result, options);
    if (result.code !== 0) throw new CommandError(node.name, clean, 'failed');
    return result.stdout;
  }

  note(text: string): void {
    this.items.push({ note: this.redact(text) });
  }

  get entries(): TranscriptEntry[] {
    return this.items.flatMap((item) => ('entry' in item ? [item.entry] : []));
  }

  get notes(): string[] {
    return this.items.flatMap((item) => ('note' in item ? [item.note] : []));
  }

  /** As the step's attachment shows it: `[node]# command`, its output and a non-zero exit; notes as `# …`. */
  text(): string {
    const lines = this.items.map((item) => {
      if ('note' in item) return `# ${item.note}`;
      const { node, command, output, code } = item.entry;
      return `[${node}]# ${command}${output ? `\n${output}` : ''}${code ? `\n(exit ${code})` : ''}`;
    });
    return `${lines.join('\n\n')}\n`;
  }
}

/** What one step did, for the runbook: its commands, or why it was already in place. */
export interface StepRecord {
  id: string;
  title: string;
  alreadyInPlace?: string;
  entries: TranscriptEntry[];
  notes: string[];
  /** How long the step took, its check included. */
  seconds?: number;
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
export async function runStep(step: Step, secrets: readonly string[], report: Reporter = consoleReporter): Promise<StepRecord> {
  const name = `${step.id} ${step.title}`;
  return report.step(name, async () => {
    const transcript = new Transcript(secrets);
    const started = performance.now();
    const record = (alreadyInPlace?: string): StepRecord => ({
      id: step.id, title: step.title, ...(alreadyInPlace && { alreadyInPlace }), entries: transcript.entries, notes: transcript.notes,
      seconds: Math.round((performance.now() - started) / 100) / 10,
    });
    try {
      transcript.during = 'check';
      const already = await step.done?.(transcript);
      transcript.during = 'run';
      if (already) {
        log(step.id, `${step.title}: already in place (${already})`);
        transcript.note(`already in place: ${already}`);
        return record(transcript.redact(already));
      }
      log(step.id, step.title);
      await step.run(transcript);
      log(step.id, `done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      return record();
    } catch (error) {
      log(step.id, `FAILED: ${transcript.redact((error as Error).message.split('\n')[0])}`);
      throw error;
    } finally {
      await report.attach(`${step.id} commands`, transcript.text(), 'text/plain');
    }
  });
}

/** Runs the steps in order; what each did is appended to `records` as it finishes. */
export async function runSteps(steps: Step[], secrets: readonly string[], report: Reporter = consoleReporter, records: StepRecord[] = []): Promise<StepRecord[]> {
  for (const step of steps) records.push(await runStep(step, secrets, report));
  return records;
}

/**
 * `--from`/`--only` stand on the steps before the first selected one: each that can check its
 * effect must find it in place. Refuses with the first that does not, and what to run instead.
 */
export async function refuseUnlessInPlace(before: readonly Step[], first: string | undefined, t: Transcript): Promise<void> {
  for (const step of before) {
    if (!step.done) continue;
    if (!(await step.done(t))) {
      throw new StepRefused(`refusing to start at ${first}: step ${step.id} (${step.title}) before it is not in place; run without --from/--only, or --until ${step.id} first`);
    }
  }
}
