import { describe, expect, it } from 'vitest';
import { History } from '../history/history.js';
import { parseBootFacts } from '../faults/node-return.js';
import { rejoinChecker } from './rejoin-checker.js';

const boot = (history: History, drbd: string, heartbeat: string) => {
  const facts = parseBootFacts('linux01', `drbd ${drbd}\nactive-heartbeat ${heartbeat}\n`, 20);
  history.append({ kind: 'note', text: `boot untouched: linux01 …`, data: { boot: facts } });
};

describe('rejoinChecker', () => {
  it('no node returned: nothing to judge, valid', () => {
    expect(rejoinChecker().check(new History()).valid).toBe(true);
  });

  it('a node that stayed out is BOOT-NO-REJOIN, with its facts as evidence', () => {
    const history = new History();
    boot(history, '', 'inactive');
    const result = rejoinChecker().check(history);
    expect(result.valid).toBe(false);
    expect(result.findings.map((f) => f.id)).toEqual(['BOOT-NO-REJOIN']);
    expect(result.findings[0].message).toMatch(/an operator had to bring it back/);
    expect(result.findings[0].evidence).toMatchObject({ node: 'linux01', rejoined: false });
    expect(result.checker).toMatch(/^availability/);
  });

  it('a node that rejoined by itself is valid; each return is judged', () => {
    const history = new History();
    boot(history, 'WFConnection', 'active');
    expect(rejoinChecker().check(history).valid).toBe(true);
    boot(history, '', 'inactive');
    expect(rejoinChecker().check(history).findings).toHaveLength(1);
  });
});
