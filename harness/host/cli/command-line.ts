import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A command line that cannot be run: one line saying what is wrong and what to do (exit 2). */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The exit codes every CLI of the harness uses. */
export const EXIT = { ok: 0, failed: 1, usage: 2, interrupted: 130 } as const;

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * node:util's parseArgs with `--help`, strict: an unknown option or a missing value is a
 * UsageError naming it, before the command does anything. `help` is what `--help` prints.
 */
export function parseCommandLine<O extends Options>(argv: readonly string[], options: O, help: string, { positionals = false } = {}) {
  type Parsed = ReturnType<typeof parseArgs<{ options: O; allowPositionals: true; strict: true }>>;
  let parsed: Parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: positionals, strict: true }) as unknown as Parsed;
  } catch (error) {
    throw new UsageError(`${(error as Error).message.split('\n')[0].replace(/\. To specify a positional argument.*$/, '').replace(/\.$/, '')}; --help lists the options`);
  }
  const asked = (parsed.values as { help?: boolean }).help;
  return { values: parsed.values, positionals: parsed.positionals, help: asked ? help : undefined };
}

/**
 * A command's first step: `--help` printed (exit 0), an unknown option or a missing value said in
 * one line under the command's name (exit 2); otherwise its parsed values, for it to run.
 */
export function startCommand<O extends Options>(name: string, argv: readonly string[], options: O, help: string, { positionals = false } = {}): { exit: number } | { exit?: undefined; values: ReturnType<typeof parseCommandLine<O>>['values']; positionals: string[] } {
  try {
    const parsed = parseCommandLine(argv, options, help, { positionals });
    if (parsed.help) {
      process.stdout.write(`${parsed.help}\n`);
      return { exit: EXIT.ok };
    }
    return { values: parsed.values, positionals: [...(parsed.positionals ?? [])] };
  } catch (error) {
    process.stderr.write(`[   0.0s] ${name}: ${(error as Error).message}\n`);
    return { exit: EXIT.usage };
  }
}
