import { homedir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { LOCAL_LIBVIRT_URI, parseLibvirtUri, sshArguments } from './libvirt-uri.js';

describe('parseLibvirtUri', () => {
  it('is this machine\'s system instance when nothing is given', () => {
    expect(parseLibvirtUri(undefined)).toEqual({ uri: LOCAL_LIBVIRT_URI });
    expect(parseLibvirtUri('')).toEqual({ uri: LOCAL_LIBVIRT_URI });
    expect(parseLibvirtUri('qemu:///system')).toEqual({ uri: LOCAL_LIBVIRT_URI });
  });

  it('reads a remote system instance over SSH: user, host and key, the host key checked by default', () => {
    const uri = 'qemu+ssh://admin@kvm1.example/system?keyfile=/keys/lab';
    expect(parseLibvirtUri(uri)).toEqual({ uri, remote: { user: 'admin', host: 'kvm1.example', port: 22, keyFile: '/keys/lab', verifyHostKey: true } });
  });

  it('logs in as root without a user, finds a bare key name under ~/.ssh, and honours no_verify=1', () => {
    const target = parseLibvirtUri('qemu+ssh://10.0.0.5/system?keyfile=id_ed25519&no_verify=1');
    expect(target.remote).toEqual({ user: 'root', host: '10.0.0.5', port: 22, keyFile: `${homedir()}/.ssh/id_ed25519`, verifyHostKey: false });
  });

  it.each([
    ['qemu:///session', /transport "qemu" is not one/],
    ['qemu+tcp://h/system?keyfile=/k', /transport "qemu\+tcp"/],
    ['qemu+ssh://h/session?keyfile=/k', /system instance \(\/system\), not "\/session"/],
    ['qemu+ssh://h/system', /no keyfile/],
    ['qemu+ssh://h:2222/system?keyfile=/k', /a port in the URI/],
    ['qemu+ssh://h/system?keyfile=/k&socket=/x', /socket: the lab understands keyfile and no_verify only/],
    ['not a uri', /not a URI/],
  ])('refuses %s, naming why and giving an example', (uri, why) => {
    expect(() => parseLibvirtUri(uri, '--libvirt-uri')).toThrow(why);
    expect(() => parseLibvirtUri(uri, '--libvirt-uri')).toThrow(/^--libvirt-uri ".*e\.g\. qemu\+ssh:\/\/root@/);
  });
});

describe('sshArguments', () => {
  it('logs in with the key alone, never asking; the host key checked unless no_verify', () => {
    const host = { user: 'root', host: 'h', port: 22, keyFile: '/k', verifyHostKey: true };
    expect(sshArguments(host)).toEqual(['-i', '/k', '-p', '22', '-l', 'root', '-o', 'BatchMode=yes', '-o', 'IdentitiesOnly=yes']);
    expect(sshArguments({ ...host, verifyHostKey: false })).toContain('StrictHostKeyChecking=no');
  });
});
