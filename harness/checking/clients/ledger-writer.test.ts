import { describe, expect, it } from 'vitest';
import { classifyError, DEFAULT_WRITERS, writerOptions } from './ledger-writer.js';

describe('writerOptions', () => {
  it('runs 8 concurrent writers unless HALAB_WRITERS says otherwise', () => {
    expect(writerOptions({}).writers).toBe(8);
    expect(writerOptions({ HALAB_WRITERS: '' })).toEqual(DEFAULT_WRITERS);
    expect(writerOptions({ HALAB_WRITERS: '3' })).toEqual({ ...DEFAULT_WRITERS, writers: 3 });
    expect(writerOptions({ HALAB_WRITERS: '64' }).writers).toBe(64);
  });

  it.each(['0', '65', '2.5', 'eight', '-1'])('refuses HALAB_WRITERS=%s, naming the variable and the range', (value) => {
    expect(() => writerOptions({ HALAB_WRITERS: value })).toThrow(`HALAB_WRITERS="${value}": must be a whole number of writers from 1 to 64 (default 8)`);
  });
});

describe('classifyError', () => {
  it('a write that never reached a server failed; one cut off mid-way is unknown', () => {
    expect(classifyError('ETIMEDOUT', 'connect')).toBe('fail');
    expect(classifyError(undefined, 'connect')).toBe('fail');
    expect(classifyError('ECONNREFUSED', 'query')).toBe('fail');
    expect(classifyError('EHOSTUNREACH', 'query')).toBe('fail');
    expect(classifyError('PROTOCOL_CONNECTION_LOST', 'query')).toBe('info');
    expect(classifyError(undefined, 'query')).toBe('info');
  });
});
