import { describe, expect, it } from 'vitest';
import { countJunit, junitFailures } from './junit-summary.js';

describe('countJunit', () => {
  it('counts passed, failed and skipped test cases', () => {
    const xml = `<testsuites><testsuite name="a">
      <testcase classname="a" name="ok" time="1"></testcase>
      <testcase classname="a" name="ok2" time="1"/>
      <testcase classname="a" name="bad" time="1"><failure message="x">trace</failure></testcase>
      <testcase classname="a" name="skip" time="0"><skipped/></testcase>
    </testsuite></testsuites>`;
    expect(countJunit(xml)).toEqual({ passed: 2, failed: 1, skipped: 1 });
  });

  it('counts nothing in an empty report', () => {
    expect(countJunit('<testsuites/>')).toEqual({ passed: 0, failed: 0, skipped: 0 });
  });
});

describe('junitFailures', () => {
  it('names each failed case with the first non-empty line of its message, decoded', () => {
    const xml = `<testsuites><testsuite name="a">
      <testcase classname="specs/F5-heartbeat-cut.spec.ts" name="F5 &gt; verdicts" time="1"><failure message="&#xA;  F5 stopped before its end: during the recovery &amp; after&#xA;more" type="Error">trace</failure></testcase>
      <testcase classname="specs/ok.spec.ts" name="ok" time="1"/>
      <testcase classname="specs/e.spec.ts" name="e" time="1"><error message="" type="Error"/></testcase>
    </testsuite></testsuites>`;
    expect(junitFailures(xml)).toEqual([
      { file: 'specs/F5-heartbeat-cut.spec.ts', test: 'F5 > verdicts', reason: 'F5 stopped before its end: during the recovery & after' },
      { file: 'specs/e.spec.ts', test: 'e', reason: 'no message' },
    ]);
  });

  it("names a sign-off failure by its unaccepted finding, not by the verdict's title", () => {
    const message = 'D1 burst power cut 1 of 1 verdict:&#xA;UNSAFE  ledger: 38 acknowledged write(s) missing&#xA;SAFE    split brain&#xA;&#xA;- Expected&#xA;+ Received&#xA;&#xA;- []&#xA;+ [&#xA;+   &quot;D1: LEDGER-LOST is not accepted in the guide profile: 38 acknowledged write(s) missing&quot;,&#xA;+ ]';
    const xml = `<testcase classname="specs/D1.spec.ts" name="rep 1" time="1"><failure message="${message}" type="AssertionError"/></testcase>`;
    expect(junitFailures(xml)[0]!.reason).toBe('D1: LEDGER-LOST is not accepted in the guide profile: 38 acknowledged write(s) missing');
    const unsafeOnly = 'S3 verdict:&#xA;SAFE    ledger&#xA;UNSAFE  exclusive vip: two holders';
    expect(junitFailures(`<testcase classname="a" name="b"><failure message="${unsafeOnly}"/></testcase>`)[0]!.reason).toBe('UNSAFE  exclusive vip: two holders');
  });

  it('finds the unaccepted finding in the failure\'s body when vitest cut the diff from its message', () => {
    const message = 'F8 failback verdict:&#xA;UNSAFE  availability: a returning node rejoins by itself: linux02 did not&#xA;UNSAFE  availability: the service was gone 357 s: expected [ Array(1) ] to deeply equal []';
    const body = '&#xA;AssertionError: F8 failback verdict:&#xA;&#xA;- Expected&#xA;+ Received&#xA;&#xA;- []&#xA;+ [&#xA;+   &quot;F8: OUTAGE-OVER-BUDGET is not accepted in the guide profile: the service was gone 357 s&quot;,&#xA;+ ]&#xA; ❯ specs/support/scenario-checks.ts:55:91';
    const xml = `<testcase classname="specs/F8.spec.ts" name="F8" time="1"><failure message="${message}" type="AssertionError">${body}</failure></testcase>`;
    expect(junitFailures(xml)[0]!.reason).toBe('F8: OUTAGE-OVER-BUDGET is not accepted in the guide profile: the service was gone 357 s');
    const overBound = xml.replace('OUTAGE-OVER-BUDGET is not accepted in the guide profile', 'OUTAGE-OVER-BUDGET measured 357 s, over the 300 s the guide profile accepts');
    expect(junitFailures(overBound)[0]!.reason).toBe('F8: OUTAGE-OVER-BUDGET measured 357 s, over the 300 s the guide profile accepts: the service was gone 357 s');
  });
});
