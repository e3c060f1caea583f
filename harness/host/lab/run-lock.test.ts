import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireRunLock } from './run-lock.js';

const lockFile = () => join(mkdtempSync(join(tmpdir(), 'run-lock-')), 'run.lock');

describe('acquireRunLock', () => {
  it('refuses a second run while the first one lives, naming its pid', () => {
    const file = lockFile();
    acquireRunLock(file, process.pid);
    // The holder is this test's own (live) process; the newcomer claims another pid.
    expect(() => acquireRunLock(file, process.pid + 1_000_000)).toThrow(`another ha-lab run (pid ${process.pid}) is using this checkout's lab`);
  });

  it('takes over a lock whose process is gone, and releases only its own', () => {
    const file = lockFile();
    writeFileSync(file, '4194304000\n'); // beyond any pid_max: no such process
    const release = acquireRunLock(file, 4242);
    expect(readFileSync(file, 'utf8')).toBe('4242\n');
    writeFileSync(file, `${process.pid}\n`); // someone else's lock now
    release();
    expect(existsSync(file)).toBe(true);
    writeFileSync(file, '4242\n');
    release();
    expect(existsSync(file)).toBe(false);
  });
});
