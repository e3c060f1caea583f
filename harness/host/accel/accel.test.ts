import { describe, expect, it } from 'vitest';
import { chooseAccelerator } from './accel.js';

describe('chooseAccelerator', () => {
  it('picks TCG without /dev/kvm', () => {
    expect(chooseAccelerator({ kvmDevice: 'absent' })).toMatchObject({ accelerator: 'tcg', libvirtDriver: 'qemu' });
  });

  it('picks TCG when /dev/kvm cannot be opened', () => {
    expect(chooseAccelerator({ kvmDevice: 'no-access' }).reason).toMatch(/cannot be opened/);
  });

  it('picks TCG when /dev/kvm exists but the guest hangs (nested KVM), and says so', () => {
    const choice = chooseAccelerator({
      kvmDevice: 'present',
      kvmBoot: { booted: false, seconds: 15, evidence: 'no kernel banner within 15 s; last output: Booting from ROM..' },
    });
    expect(choice.accelerator).toBe('tcg');
    expect(choice.reason).toContain('did not boot under KVM (no kernel banner within 15 s; last output: Booting from ROM..)');
  });

  it('picks KVM only when a guest kernel really booted with it', () => {
    const choice = chooseAccelerator({ kvmDevice: 'present', kvmBoot: { booted: true, seconds: 0.8, evidence: 'kernel banner seen' } });
    expect(choice).toMatchObject({ accelerator: 'kvm', libvirtDriver: 'kvm' });
  });

  it('refuses to decide on a present device without a boot probe', () => {
    expect(() => chooseAccelerator({ kvmDevice: 'present' })).toThrow(/no KVM boot probe/);
  });

  it('honours an explicit override and rejects a bad one', () => {
    expect(chooseAccelerator({ kvmDevice: 'absent' }, 'kvm').accelerator).toBe('kvm');
    expect(() => chooseAccelerator({ kvmDevice: 'absent' }, 'hvf')).toThrow('HALAB_ACCEL = "hvf": must be kvm or tcg');
  });
});
