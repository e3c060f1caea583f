import { describe, expect, it } from 'vitest';
import { guestProxyCommand } from './lab-settings.js';

describe('guestProxyCommand', () => {
  it('reaches a guest through the hypervisor host with ssh -W, the run\'s key, never asking', () => {
    const host = { user: 'root', host: '10.211.254.1', port: 22, keyFile: '/var/cache/ha-lab/rehearse-remote/client_ed25519', verifyHostKey: true };
    expect(guestProxyCommand(host)).toBe('ssh -i /var/cache/ha-lab/rehearse-remote/client_ed25519 -p 22 -l root -o BatchMode=yes -o IdentitiesOnly=yes 10.211.254.1 -W %h:%p');
  });

  it('quotes a key path with spaces, and skips the host key check only when the URI says no_verify=1', () => {
    const command = guestProxyCommand({ user: 'ops', host: 'kvm1', port: 22, keyFile: '/keys/my key', verifyHostKey: false });
    expect(command).toContain("-i '/keys/my key'");
    expect(command).toContain('-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null');
  });
});
