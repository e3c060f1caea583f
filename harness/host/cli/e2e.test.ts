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

  it('deals the selected specs out as shards, each with its own reports folder and the whole plan', () => {
    const one = parse('--shard', '1/2');
    const two = parse('--shard', '2/2');
    if ('help' in one || 'help' in two) throw new Error('help');
    expect(one.plan).toEqual(two.plan);
    const scenarios = (filters: string[]) => filters.filter((f) => !/\/(00|01|02|V0)-/.test(f));
    expect([...scenarios(one.filters), ...scenarios(two.filters)].sort()).toEqual(one.plan!.shards.flat().filter((f) => !/\/(00|01|02|V0)-/.test(f)).sort());
    expect(one.filters).toContain('specs/01-procedure.spec.ts');
    expect(two.filters).toContain('specs/V0-config-audit.spec.ts');
    expect([...one.filters, ...two.filters].some((f) => f.includes('N1-'))).toBe(false);
    expect(one.run.shard).toEqual({ index: 1, count: 2 });
    expect(two.run.reportsDir).toMatch(/\/reports\/shard-2-of-2$/);
    const chosen = parse('--shard', '1/1', 'F1-', 'F3-');
    if ('help' in chosen) throw new Error('help');
    // Filters choose the scenarios; the procedure, the steady state and V0 run in every shard all the same.
    expect(chosen.filters).toEqual(['specs/00-lab-vms.spec.ts', 'specs/01-procedure.spec.ts', 'specs/02-steady-state.spec.ts', 'specs/F1-link-cut.spec.ts', 'specs/F3-freeze.spec.ts', 'specs/V0-config-audit.spec.ts']);
  });

  it('runs the procedure and the steady state on a remote libvirt, and refuses there what still needs this machine', () => {
    const uri = 'qemu+ssh://root@kvm1.example/system?keyfile=/keys/lab';
    const remote = parse('--libvirt-uri', uri);
    if ('help' in remote) throw new Error('help');
    expect(remote.run.libvirtUri).toBe(uri);
    expect(remote.filters).toEqual(['00-lab', '01-procedure', '02-steady-state', 'V0-']);
    const local = parse('02-steady-state');
    if ('help' in local) throw new Error('help');
    expect(local.run.libvirtUri).toBeUndefined();
    expect(() => parse('--libvirt-uri', uri, '02-steady-state', 'F1-')).toThrow(/runs 00-lab, 01-procedure, 02-steady-state, V0- only: .* F1-link-cut.spec.ts asked/);
    expect(() => parse('--libvirt-uri', uri, '--disks', 'volatile', '02-')).toThrow(/durable disks only/);
    expect(() => parse('--libvirt-uri', 'qemu+ssh://h/system')).toThrow(/--libvirt-uri "qemu\+ssh:\/\/h\/system": no keyfile/);
  });

  it('gives D2 the volatile-cache disks it needs, and leaves it out of a run without filters on durable ones', () => {
    const d2 = parse('D2-');
    const volatile = parse('--disks', 'volatile');
    const all = parse();
    const sharded = parse('--shard', '1/1');
    if ('help' in d2 || 'help' in volatile || 'help' in all || 'help' in sharded) throw new Error('help');
    expect(d2.run.disks).toBe('volatile');
    expect(d2.filters).toEqual(['D2-']);
    expect(volatile.filters).toEqual(['00-lab', '01-procedure', '02-steady-state', 'D2-', 'V0-']);
    expect(volatile.selectionArgs).toEqual(['--disks', 'volatile']);
    expect(all.run.disks).toBe('durable');
    expect(sharded.filters.some((f) => f.includes('D2-'))).toBe(false);
    expect(() => parse('--disks', 'durable', 'D2-')).toThrow(/D2- cuts the power of disks with a volatile write cache: run it with --disks volatile/);
    expect(() => parse('--disks', 'flaky')).toThrow(/--disks "flaky": the data disks are durable \(.*\) or volatile \(/);
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
    expect(refused('--shard', '3/2')).toMatch(/^--shard "3\/2": give i\/n/);
    expect(refused('--shard', '1/2', '--nemesis', 'random')).toMatch(/the random schedule \(--nemesis\) runs whole/);
    expect(refused('--nemesis', 'chaos')).toMatch(/the one schedule is `--nemesis random`/);
    expect(refused('--duration', '5m')).toMatch(/the one schedule is `--nemesis random`/);
    expect(refused('--until', 'P5')).toBe('--until, --from and --only belong to `npm run provision`');
    expect(refused('--runbook')).toBe('--runbook belongs to `npm run provision`');
    expect(refused('--seed', 'x')).toMatch(/seed/);
  });
});
