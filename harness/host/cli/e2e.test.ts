import { describe, expect, it } from 'vitest';
import { parseInvocation } from './e2e.js';
import { UsageError } from './command-line.js';

const parse = (...argv: string[]) => parseInvocation(argv);

describe('the e2e command line', () => {
  it('builds the run context once from the arguments', () => {
    const invocation = parse('--profile', 'hardened', '--variant', 'shrink-fs', '--seed', '9', '--keep', 'F1-');
    if ('help' in invocation) throw new Error('help');
    expect(invocation.run).toMatchObject({ profile: 'hardened', variant: 'shrink-fs', seed: 9 });
    expect(invocation.filters).toEqual(['F1-']);
    expect(invocation.selectionArgs).toEqual(['--variant', 'shrink-fs', '--profile', 'hardened']);
    expect(invocation.keep).toBe(true);
  });

  it('gives an operator\'s configuration its own reports folder and acceptance file, and names it for a rerun', () => {
    const invocation = parse('--config', 'examples/shop-db', 'F1-');
    if ('help' in invocation) throw new Error('help');
    expect(invocation.run).toMatchObject({ profile: 'guide', config: 'examples/shop-db' });
    expect(invocation.run.reportsDir).toMatch(/\/reports\/config-shop-db$/);
    expect(invocation.run.acceptanceFile).toMatch(/\/examples\/shop-db\/acceptance\.json$/);
    expect(invocation.selectionArgs).toEqual(['--config', 'examples/shop-db']);
  });

  it('gives a variant or a random schedule its own specs when no filter is given, and provisioning keeps the cluster', () => {
    const variant = parse('--variant', 'external-md');
    const nemesis = parse('--nemesis', 'random', '--seed', '5', '--duration', '10m');
    const provision = parse('--provision', '--until', 'P5');
    if ('help' in variant || 'help' in nemesis || 'help' in provision) throw new Error('help');
    expect(variant.filters).toEqual(['00-lab', '01-procedure', '02-steady-state']);
    expect(nemesis.filters).toEqual(['00-lab', '01-procedure', '02-steady-state', 'N1-random-nemesis']);
    expect(nemesis.run.nemesis).toEqual({ durationSeconds: 600 });
    expect(nemesis.replay).toContain('--seed 5');
    expect(provision).toMatchObject({ keep: true, provision: true, procedureArgs: ['--until', 'P5'] });
  });

  it('answers --help, and refuses what cannot run before anything starts, naming it', () => {
    expect(parse('--help')).toEqual({ help: expect.stringContaining('Exit codes: 0 passed') });
    const refused = (...argv: string[]) => {
      try {
        parse(...argv);
      } catch (error) {
        expect(error).toBeInstanceOf(UsageError);
        return (error as Error).message;
      }
      throw new Error(`accepted: ${argv.join(' ')}`);
    };
    expect(refused('--kep')).toMatch(/^Unknown option '--kep'.*--help lists the options$/);
    expect(refused('no-such-spec')).toBe('no spec file matches "no-such-spec": the filters are parts of the file names under specs/ (e.g. F1-, 03-, V0-)');
    expect(refused('--profile', 'nope')).toMatch(/^--profile "nope": no such profile/);
    expect(refused('--variant', 'nope')).toMatch(/^--variant "nope": no such variant/);
    expect(refused('--config', 'examples/shop-db', '--profile', 'hardened')).toMatch(/^--config: the operator's files replace the guide's rendered ones; run them without --profile and --variant$/);
    expect(refused('--config', 'examples/shop-db', '--variant', 'shrink-fs')).toMatch(/^--config: /);
    expect(refused('--nemesis', 'chaos')).toMatch(/the one schedule is `--nemesis random`/);
    expect(refused('--duration', '5m')).toMatch(/the one schedule is `--nemesis random`/);
    expect(refused('--until', 'P5')).toBe('--until, --from and --only belong to `npm run provision`');
    expect(refused('--runbook')).toBe('--runbook belongs to `npm run provision`');
    expect(refused('--seed', 'x')).toMatch(/seed/);
  });
});
