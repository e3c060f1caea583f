import { describe, expect, it } from 'vitest';
import { parseDrbdadmErrors } from './drbdadm-check.js';

describe('parseDrbdadmErrors: drbdadm\'s complaints at the operator\'s line', () => {
  it('a parse error with its continuation lines', () => {
    const output = "/tmp/halab-drbd-x/drbd.conf:18: Parse error: ';' expected,\n\tbut got 'al-extents' (TK 8478)\n";
    expect(parseDrbdadmErrors(output, 'linux01')).toEqual([
      { file: 'drbd.conf', line: 18, message: "drbdadm (as linux01): Parse error: ';' expected, but got 'al-extents' (TK 8478)", fix: "correct it: the nodes' drbdadm refuses the file" },
    ]);
  });

  it('anything else it says, whole, when it names no line', () => {
    expect(parseDrbdadmErrors("'r0' not defined in your config (for this host).\n", 'linux02')[0].message).toBe("drbdadm (as linux02) refuses it: 'r0' not defined in your config (for this host).");
  });
});
