import { describe, expect, it } from 'vitest';
import type { ResultPromise } from 'execa';
import { disableBridgeStp, parseNetInfoBridge } from './bridges.js';
import type { Lab } from './lab.js';

const NET_INFO = `Name:           ha-lab-lan
UUID:           6f1c8a2e-0000-4000-8000-000000000001
Active:         yes
Persistent:     yes
Autostart:      no
Bridge:         virbr2
`;

/** A remote lab whose commands answer what `respond` says (only what disableBridgeStp reads); the hypervisor host's are marked `on-host`. */
const fakeLab = (respond: (file: string, args: readonly string[]) => { exitCode: number; stdout: string; stderr?: string }): Lab => ({
  kind: 'remote',
  shellPrefix: () => '',
  libvirtUri: 'qemu+ssh://root@h/system?keyfile=/k',
  exec: (file, args) => Promise.resolve(respond(file, args)) as unknown as ResultPromise,
  onHypervisorHost: (file, args) => Promise.resolve(respond(`on-host ${file}`, args)) as unknown as ResultPromise,
});

describe('parseNetInfoBridge', () => {
  it("reads the bridge's name from virsh net-info, and nothing from output without one", () => {
    expect(parseNetInfoBridge(NET_INFO)).toBe('virbr2');
    expect(parseNetInfoBridge('Name: x\nActive: no\n')).toBeUndefined();
  });
});

describe('disableBridgeStp', () => {
  it("turns STP off on each existing network's bridge, on the hypervisor's host, and leaves out a network libvirt does not know", async () => {
    const calls: string[] = [];
    const lab = fakeLab((file, args) => {
      calls.push([file, ...args].join(' '));
      const known = file === 'virsh' && args.includes('ha-lab-lan');
      return { exitCode: file === 'virsh' && !known ? 1 : 0, stdout: known ? NET_INFO : '' };
    });
    expect(await disableBridgeStp(lab, ['ha-lab-lan', 'ha-lab-link'])).toEqual(['ha-lab-lan (virbr2): STP off']);
    expect(calls.filter((c) => !c.startsWith('virsh '))).toEqual(['on-host ip link set dev virbr2 type bridge stp_state 0']);
  });

  it('says so, and goes on, where the bridge refuses', async () => {
    const lab = fakeLab((file) => (file === 'virsh' ? { exitCode: 0, stdout: NET_INFO, stderr: '' } : { exitCode: 2, stdout: '', stderr: 'RTNETLINK answers: Operation not permitted\n' }));
    expect(await disableBridgeStp(lab, ['ha-lab-lan'])).toEqual(['ha-lab-lan (virbr2): STP left on, `ip link set` failed: RTNETLINK answers: Operation not permitted']);
  });
});
