import { describe, expect, it } from 'vitest';
import { countJunit } from './junit-summary.js';

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
