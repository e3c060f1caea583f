import { describe, expect, it } from 'vitest';
import { lineReader } from './lines.js';

describe('lineReader', () => {
  it('hands on whole lines across chunks, and the last unterminated one at the end', () => {
    const seen: string[] = [];
    const lines = lineReader((line) => seen.push(line));
    lines.push('a\nb');
    lines.push('c\n\nd');
    expect(seen).toEqual(['a', 'bc', '']);
    lines.end();
    expect(seen).toEqual(['a', 'bc', '', 'd']);
    lines.end();
    expect(seen).toHaveLength(4);
  });
});
