import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { base64Forms, describeSecretHits, scanForSecrets } from './secret-scan.js';

const SECRET = 'Zq8hT3kPw0aLr7yVb2Nc';

describe('the reports scanned for secrets', () => {
  it('finds a secret written as it is, in any file at any depth, naming the file and the secret, never the value', () => {
    const dir = mkdtempSync(join(tmpdir(), 'halab-scan-'));
    mkdirSync(join(dir, 'hardened', 'allure-results'), { recursive: true });
    writeFileSync(join(dir, 'hardened', 'allure-results', 'x-attachment.txt'), `stonith_host * external/halab-power-switch linux01,linux02 http://h ${SECRET}\n`);
    writeFileSync(join(dir, 'signoff.md'), 'nothing here\n');
    const hits = scanForSecrets(dir, { powerSwitchToken: SECRET, heartbeatKey: 'another-secret-value' });
    expect(hits).toEqual([{ file: join('hardened', 'allure-results', 'x-attachment.txt'), secret: 'powerSwitchToken', form: 'plain' }]);
    expect(describeSecretHits(hits).join('\n')).not.toContain(SECRET);
    expect(describeSecretHits(hits)).toEqual([`${join('hardened', 'allure-results', 'x-attachment.txt')}: holds the secret "powerSwitchToken"`]);
  });

  it('finds a secret base64-encoded at every alignment (an attachment embedded in the HTML)', () => {
    for (const prefix of ['', 'a', 'ab', 'abc', 'token: ']) {
      const dir = mkdtempSync(join(tmpdir(), 'halab-scan-'));
      writeFileSync(join(dir, 'index.html'), `<script>data="${Buffer.from(`${prefix}${SECRET} and more`).toString('base64')}"</script>`);
      expect(scanForSecrets(dir, { token: SECRET }), JSON.stringify(prefix)).toEqual([{ file: 'index.html', secret: 'token', form: 'base64' }]);
    }
  });

  it('finds nothing in clean reports, a missing folder, or for a value too short to mean anything', () => {
    const dir = mkdtempSync(join(tmpdir(), 'halab-scan-'));
    writeFileSync(join(dir, 'a.json'), JSON.stringify({ text: 'redacted: ***', b64: Buffer.from('nothing secret').toString('base64') }));
    expect(scanForSecrets(dir, { token: SECRET, empty: '', short: 'abc' })).toEqual([]);
    expect(scanForSecrets(join(dir, 'nope'), { token: SECRET })).toEqual([]);
    expect(base64Forms('abc')).toEqual([]);
  });
});
