/** libvirt's system instance, where the lab's VMs live: every virsh call goes through here. */
export const LIBVIRT_URI = 'qemu:///system';

export function virsh(...args: string[]): string[] {
  return ['-q', '-c', LIBVIRT_URI, ...args];
}
