import { describe, expect, it } from 'vitest';
import { incompleteRun, renderRunbook, typed, type ProcedureRecord } from './runbook.js';
import type { StepRecord } from './step.js';

const step = (id: string, extra: Partial<StepRecord> = {}): StepRecord => ({ id, title: `title of ${id}`, entries: [], notes: [], ...extra });

describe('incompleteRun: only a run that carried out every step makes a runbook', () => {
  it('accepts every expected step run', () => {
    expect(incompleteRun([step('P1'), step('P2')], ['P1', 'P2'])).toBeUndefined();
  });
  it('refuses a run where a step was already in place, naming it', () => {
    expect(incompleteRun([step('P1'), step('P2', { alreadyInPlace: 'VG exists' })], ['P1', 'P2'])).toMatch(/P2 were already in place/);
  });
  it('refuses a run that stopped early (--until), naming the steps that did not run', () => {
    expect(incompleteRun([step('P1')], ['P1', 'P2', 'E1', 'E1', 'P3'])).toBe('step(s) P2, E1, P3 did not run');
  });
});

describe('typed: the command as an operator types it', () => {
  it('gives a file written from stdin its content as a heredoc', () => {
    expect(typed({ command: 'install -D -m 644 /dev/stdin /etc/ha.d/haresources', stdin: 'linux01 IPaddr::192.168.211.120\n' }))
      .toBe("install -D -m 644 /dev/stdin /etc/ha.d/haresources <<'HALAB_EOF'\nlinux01 IPaddr::192.168.211.120\nHALAB_EOF");
  });
  it('groups a compound command, so that the heredoc feeds all of it as the tested run\'s stdin did', () => {
    expect(typed({ command: "install -D -m 600 /dev/stdin /etc/ha.d/authkeys && stat -c '%a' /etc/ha.d/authkeys || { echo bad; exit 1; }", stdin: 'auth 1\n1 sha1 ***\n' }))
      .toBe("{\ninstall -D -m 600 /dev/stdin /etc/ha.d/authkeys && stat -c '%a' /etc/ha.d/authkeys || { echo bad; exit 1; }\n} <<'HALAB_EOF'\nauth 1\n1 sha1 ***\nHALAB_EOF");
  });
  it('picks a delimiter the content does not contain', () => {
    expect(typed({ command: 'cat > f', stdin: 'HALAB_EOF\n' })).toBe("cat > f <<'HALAB_EOF_'\nHALAB_EOF\nHALAB_EOF_");
  });
  it('leaves a command without stdin alone', () => {
    expect(typed({ command: 'drbdadm up r0' })).toBe('drbdadm up r0');
  });
});

describe('renderRunbook', () => {
  const record: ProcedureRecord = {
    date: '2026-11-28',
    commit: 'abc1234',
    steps: [
      step('P6', {
        title: 'zero the first MiB',
        entries: [
          { node: 'linux01', command: 'test -s /root/ha-lab/back', output: '', code: 1, during: 'check' },
          { node: 'linux01', command: 'dd if=/dev/zero of=/dev/VG/data bs=1M count=1', output: '1+0 records in', code: 0, during: 'run' },
          { node: 'linux02', command: 'cat /proc/drbd', output: 'version: 8.4.11', code: 0, during: 'run' },
        ],
      }),
      step('H2', {
        title: 'authkeys',
        entries: [{ node: 'linux01', command: 'install -D -m 600 /dev/stdin /etc/ha.d/authkeys', stdin: 'auth 1\n1 sha1 ***\n', output: '', code: 0, during: 'run' }],
        notes: ['the key is per lab'],
      }),
    ],
  };
  const md = renderRunbook(record);

  it('says which run it comes from', () => {
    expect(md).toContain('procedure run of **2026-11-28** at commit **abc1234**');
  });
  it('has a section per step with its id, in order', () => {
    expect(md.indexOf('## P6: zero the first MiB')).toBeGreaterThan(0);
    expect(md.indexOf('## H2: authkeys')).toBeGreaterThan(md.indexOf('## P6: zero the first MiB'));
  });
  it('puts the precondition check before the commands, with its exit code as the expected output', () => {
    const p6 = md.slice(md.indexOf('## P6'), md.indexOf('## H2'));
    expect(p6.indexOf('**Precondition.**')).toBeLessThan(p6.indexOf('**Commands.**'));
    expect(p6).toContain('$ test -s /root/ha-lab/back\n(exit 1)');
  });
  it('names the node of each block and keeps each node\'s commands together', () => {
    const p6 = md.slice(md.indexOf('**Commands.**'), md.indexOf('## H2'));
    expect(p6).toMatch(/On \*\*linux01\*\*, as root:\n\n```sh\ndd if=\/dev\/zero/);
    expect(p6).toMatch(/On \*\*linux02\*\*, as root:\n\n```sh\ncat \/proc\/drbd\n```/);
    expect(p6).toContain('$ dd if=/dev/zero of=/dev/VG/data bs=1M count=1\n1+0 records in');
  });
  it('renders configuration files as heredocs with the secrets as placeholders, and keeps the step\'s notes', () => {
    expect(md).toContain("install -D -m 600 /dev/stdin /etc/ha.d/authkeys <<'HALAB_EOF'\nauth 1\n1 sha1 ***\nHALAB_EOF");
    expect(md).toContain('> the key is per lab');
  });
});

describe('renderRunbook names the variant and each step\'s time', () => {
  const record = (variant?: ProcedureRecord['variant']): ProcedureRecord => ({
    date: '2026-11-28', commit: 'abc1234', ...(variant && { variant }), steps: [step('P5', { seconds: 1.4, title: 'shrink the file system' })],
  });
  it('an older record without a variant is the final procedure', () => {
    const runbook = renderRunbook(record());
    expect(runbook).toMatch(/^# Runbook: the guide's procedure, as the sign-off tested it\n/);
    expect(runbook).toContain('Variant **final**: the guide\'s final procedure');
  });
  it('a variant\'s runbook says so in its title, and lists each step with its seconds', () => {
    const runbook = renderRunbook(record('shrink-fs'));
    expect(runbook).toMatch(/^# Runbook: the guide's procedure \(variant shrink-fs\), as the sign-off tested it\n/);
    expect(runbook).toContain('- **P5** shrink the file system (1.4 s in the tested run)');
  });
});
