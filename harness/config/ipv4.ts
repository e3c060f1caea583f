/** Minimal IPv4 arithmetic: enough to validate the lab's addresses without a dependency. */
export function parseIPv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = value * 256 + octet;
  }
  return value;
}

export interface Cidr {
  network: number;
  prefixLength: number;
}

export function parseCidr(text: string): Cidr | undefined {
  const [address, prefix, ...rest] = text.split('/');
  if (rest.length || prefix === undefined || !/^\d{1,2}$/.test(prefix)) return undefined;
  const prefixLength = Number(prefix);
  const network = parseIPv4(address);
  if (network === undefined || prefixLength < 8 || prefixLength > 30) return undefined;
  if (network % hostCount(prefixLength) !== 0) return undefined; // host bits set
  return { network, prefixLength };
}

function hostCount(prefixLength: number): number {
  return 2 ** (32 - prefixLength);
}

/** True for a usable host address of the subnet (not the network or broadcast address). */
export function isHostIn(cidr: Cidr, address: number): boolean {
  const offset = address - cidr.network;
  return offset > 0 && offset < hostCount(cidr.prefixLength) - 1;
}

export function netmask(cidr: Cidr): string {
  return formatIPv4(2 ** 32 - hostCount(cidr.prefixLength));
}

export function formatIPv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}
