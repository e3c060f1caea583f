import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseKnownHostKeys, TunnelStream } from './jump-host.js';

describe('parseKnownHostKeys', () => {
  it('reads the key blobs of plain, hashed and CA lines, leaving out comments and revoked keys', () => {
    const a = Buffer.from('key-a').toString('base64');
    const b = Buffer.from('key-b').toString('base64');
    const c = Buffer.from('key-c').toString('base64');
    const text = [
      '# Host 10.0.0.5 found: line 3',
      `10.0.0.5 ssh-ed25519 ${a}`,
      `|1|c2FsdA==|aGFzaA== ecdsa-sha2-nistp256 ${b} comment`,
      `@cert-authority *.example ssh-rsa ${c}`,
      `@revoked 10.0.0.5 ssh-rsa ${a}`,
      '',
    ].join('\n');
    expect(parseKnownHostKeys(text).map((k) => k.toString())).toEqual(['key-a', 'key-b', 'key-c']);
  });
});

describe('TunnelStream', () => {
  it('holds what is written until the tunnel opens, then passes both ways', async () => {
    let open!: (channel: PassThrough) => void;
    const echo = new PassThrough();
    const stream = new TunnelStream(new Promise((resolve) => (open = resolve)));
    stream.write('before ');
    open(echo);
    stream.write('after');
    const received = await new Promise<string>((resolve) => {
      let text = '';
      stream.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        if (text === 'before after') resolve(text);
      });
    });
    expect(received).toBe('before after');
    stream.destroy();
  });

  it('fails with the tunnel\'s own error when it cannot open', async () => {
    const stream = new TunnelStream(Promise.reject(new Error('the hypervisor host h cannot open 10.0.0.9:3306: refused')));
    await expect(new Promise((_, reject) => stream.on('error', reject))).rejects.toThrow(/cannot open 10.0.0.9:3306/);
  });
});
