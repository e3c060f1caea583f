import { describe, expect, it } from 'vitest';
import { HOST_TOOLS, missingFor, nodeTooOld } from './preflight.js';

const all = new Set(HOST_TOOLS.map((t) => t.command));
const without = (...commands: string[]) => new Set([...all].filter((c) => !commands.includes(c)));
const packages = (list: { debianPackage: string }[]) => list.map((m) => m.debianPackage);

describe('missingFor: which host packages a stage lacks', () => {
  it('nothing when every tool and the plugin are there', () => {
    expect(missingFor(['box', 'lab'], all, true)).toEqual([]);
  });

  it('the box stage asks only for what the box build and `vagrant box add` use', () => {
    const fresh = new Set<string>(['mkfs.ext4', 'ip', 'iptables']);
    expect(packages(missingFor(['box'], fresh, false))).toEqual(['vagrant', 'mmdebstrap', 'qemu-utils', 'vagrant-libvirt']);
  });

  it('the lab stage installs qemu and libvirt, never the box tools or the plugin', () => {
    const afterBoxStage = without('qemu-system-x86_64', 'libvirtd', 'virsh', 'dnsmasq');
    expect(packages(missingFor(['lab'], afterBoxStage, false))).toEqual(['qemu-system-x86', 'libvirt-daemon-system', 'libvirt-clients', 'dnsmasq-base']);
  });

  it('the plugin alone, when vagrant is there without it', () => {
    expect(packages(missingFor(['box'], all, false))).toEqual(['vagrant-libvirt']);
  });

  it('every tool belongs to exactly one stage, and the three stages together are the whole list', () => {
    const box = HOST_TOOLS.filter((t) => t.stage === 'box').map((t) => t.command);
    const lab = HOST_TOOLS.filter((t) => t.stage === 'lab').map((t) => t.command);
    const rehearsal = HOST_TOOLS.filter((t) => t.stage === 'rehearsal').map((t) => t.command);
    expect([...box, ...lab, ...rehearsal].sort()).toEqual([...all].sort());
    // Only npm run rehearse-remote installs an sshd: npm run e2e never asks for one.
    expect(rehearsal).toEqual(['sshd']);
    expect(packages(missingFor(['box', 'lab'], without('sshd'), true))).toEqual([]);
    expect(box).toEqual(expect.arrayContaining(['vagrant', 'mmdebstrap', 'qemu-img']));
  });
});

describe('nodeTooOld', () => {
  it('accepts 20.19 and later, and names the version, the need and what to do otherwise', () => {
    for (const ok of ['20.19.0', '20.20.1', '22.1.0', '24.0.0']) expect(nodeTooOld(ok)).toBeUndefined();
    expect(nodeTooOld('20.18.3')).toBe('Node.js 20.18.3 is too old: ha-lab needs 20.19 or later (package.json "engines"); install a newer Node.js (e.g. from nodejs.org or NodeSource) and run npm ci again');
    expect(nodeTooOld('18.20.0')).toMatch(/^Node.js 18.20.0 is too old/);
  });
});

