import { describe, expect, it } from 'vitest';
import { parseSshConfig } from './ssh-config.js';

// Shape of vagrant 2.3.4 + vagrant-libvirt 0.11.2 output for a two-machine Vagrantfile.
const sample = `Host linux01
  HostName 192.168.121.17
  User vagrant
  Port 22
  UserKnownHostsFile /dev/null
  StrictHostKeyChecking no
  PasswordAuthentication no
  IdentityFile /work/main/.vagrant/machines/linux01/libvirt/private_key
  IdentityFile "/root/.vagrant.d/insecure private key"
  IdentitiesOnly yes
  LogLevel FATAL

Host linux02
  HostName 192.168.121.18
  User vagrant
  Port 2222
  IdentityFile /work/main/.vagrant/machines/linux02/libvirt/private_key
`;

describe('parseSshConfig', () => {
  it('reads one endpoint per Host block', () => {
    const hosts = parseSshConfig(sample);
    expect([...hosts.keys()]).toEqual(['linux01', 'linux02']);
    expect(hosts.get('linux01')).toEqual({
      host: 'linux01',
      hostName: '192.168.121.17',
      user: 'vagrant',
      port: 22,
      identityFiles: ['/work/main/.vagrant/machines/linux01/libvirt/private_key', '/root/.vagrant.d/insecure private key'],
    });
    expect(hosts.get('linux02')?.port).toBe(2222);
  });

  it('defaults the port to 22 and ignores comments and blank lines', () => {
    const hosts = parseSshConfig('# comment\n\nHost a\n  HostName 10.0.0.1\n  User u\n');
    expect(hosts.get('a')?.port).toBe(22);
  });

  it('refuses a block without an address, naming the host', () => {
    expect(() => parseSshConfig('Host linux01\n  User vagrant\n')).toThrow('block for linux01 lacks HostName');
  });

  it('returns nothing for empty output', () => {
    expect(parseSshConfig('').size).toBe(0);
  });
});
