import { describe, expect, it } from 'vitest';
import { boxCacheKey, type BoxRecipe } from './box.js';

const recipe = (): BoxRecipe => ({
  files: [
    { name: 'packages.txt', content: 'drbd-utils\nheartbeat\n' },
    { name: 'build-box.sh', content: '#!/bin/sh\nmmdebstrap\n' },
  ],
  vagrantPublicKey: 'ssh-rsa AAAA vagrant insecure public key\n',
});

describe('boxCacheKey', () => {
  it('is stable for the same recipe, whatever the file order', () => {
    const reordered = recipe();
    reordered.files.reverse();
    expect(boxCacheKey(recipe())).toBe(boxCacheKey(reordered));
    expect(boxCacheKey(recipe())).toMatch(/^[0-9a-f]{16}$/);
  });

  it('changes when a package is added', () => {
    const changed = recipe();
    changed.files[0].content += 'lvm2\n';
    expect(boxCacheKey(changed)).not.toBe(boxCacheKey(recipe()));
  });

  it('changes when content moves from one file to another', () => {
    const a = { files: [{ name: 'a', content: 'xy' }, { name: 'b', content: '' }], vagrantPublicKey: 'k' };
    const b = { files: [{ name: 'a', content: 'x' }, { name: 'b', content: 'y' }], vagrantPublicKey: 'k' };
    expect(boxCacheKey(a)).not.toBe(boxCacheKey(b));
  });

  it('changes with the baked-in public key, but not with trailing white space', () => {
    const other = { ...recipe(), vagrantPublicKey: 'ssh-ed25519 BBBB other' };
    expect(boxCacheKey(other)).not.toBe(boxCacheKey(recipe()));
    expect(boxCacheKey({ ...recipe(), vagrantPublicKey: 'ssh-rsa AAAA vagrant insecure public key' })).toBe(boxCacheKey(recipe()));
  });
});
