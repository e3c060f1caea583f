import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { posixWord } from './lab.js';

describe('posixWord', () => {
  it('leaves plain words alone and single-quotes the rest, as any POSIX shell reads them back', async () => {
    expect(posixWord('/var/lib/ha-lab/boot')).toBe('/var/lib/ha-lab/boot');
    const script = "mkdir -p /x && echo 'it''s' > /y";
    const { stdout } = await execa('dash', ['-c', `printf %s ${posixWord(script)}`]);
    expect(stdout).toBe(script);
  });
});
