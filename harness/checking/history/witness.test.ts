import { describe, expect, it } from 'vitest';
import { build } from './history.fixture.js';
import { ALIVE_GAP_MS, arpDoubles, foreignVipAnswers, witnessDecidesVip, witnessedVip, witnessSawVip } from './witness.js';

const VIP = '192.168.211.120';
const L1 = '192.168.211.128';
const L2 = '192.168.211.129';

/** linux02 answering for its own address every 200 ms from `from` to `until`. */
const alive = (b: ReturnType<typeof build>, from: number, until: number, node = 'linux02', address = L2) => {
  for (let at = from; at <= until; at += 200) b.arp(at, address, node);
  return b;
};

describe("the host witness's ARP answers", () => {
  it('knows the VIP it watched from its start note, and nothing without one', () => {
    expect(witnessedVip(build().witnessFor(VIP).history)).toBe(VIP);
    expect(witnessedVip(build().history)).toBeUndefined();
  });

  it('finds rounds where two MACs answered for the VIP, not answers from one MAC or rounds apart', () => {
    const b = build().witnessFor(VIP).arp(1000, VIP, 'linux01').arp(1003, VIP, 'linux01').arp(1200, VIP, 'linux02')
      .arp(5000, VIP, 'linux01').arp(5004, VIP, 'linux02').arp(5100, VIP, 'linux02');
    expect(arpDoubles(b.history, VIP)).toEqual([{ at: 5000, answers: [{ mac: '52:54:00:00:00:01', node: 'linux01' }, { mac: '52:54:00:00:00:02', node: 'linux02' }] }]);
    expect(arpDoubles(b.history, L2)).toEqual([]);
  });

  it('keeps a round open for 100 ms from its first answer, exactly', () => {
    const edge = build().witnessFor(VIP).arp(1000, VIP, 'linux01').arp(1100, VIP, 'linux02');
    expect(arpDoubles(edge.history, VIP)).toHaveLength(1);
    expect(arpDoubles(build().witnessFor(VIP).arp(1000, VIP, 'linux01').arp(1101, VIP, 'linux02').history, VIP)).toEqual([]);
  });

  it('names answers for the VIP from a MAC of no lab node', () => {
    const b = build().witnessFor(VIP).arp(1000, VIP, 'linux01').arp(2000, VIP, 'mac:de:ad:be:ef:00:01');
    expect(foreignVipAnswers(b.history, VIP).map((e) => e.mac)).toEqual(['de:ad:be:ef:00:01']);
  });
});

describe('an unseen stretch decided by the witness', () => {
  it('decides a node that answered for its own address throughout and never for the VIP', () => {
    const b = alive(build().witnessFor(VIP), 0, 10_000);
    expect(witnessDecidesVip(b.history, 'linux02', 3000, 6000)).toBe(`linux02 answered ARP for its own address throughout, never for the VIP ${VIP} (host witness)`);
  });

  it('does not decide a node that answered for the VIP near the stretch, fell silent, or was not heard before or after it', () => {
    expect(witnessDecidesVip(alive(build().witnessFor(VIP), 0, 10_000).arp(6500, VIP, 'linux02').history, 'linux02', 3000, 6000)).toBeUndefined();
    expect(witnessDecidesVip(alive(alive(build().witnessFor(VIP), 0, 4000), 4000 + ALIVE_GAP_MS + 200, 10_000).history, 'linux02', 3000, 6000)).toBeUndefined();
    expect(witnessDecidesVip(alive(build().witnessFor(VIP), 2500, 10_000).history, 'linux02', 1000, 6000)).toBeUndefined();
    expect(witnessDecidesVip(alive(build().witnessFor(VIP), 0, 5000).history, 'linux02', 3000, 6000)).toBeUndefined();
    expect(witnessDecidesVip(alive(build(), 0, 10_000).history, 'linux02', 3000, 6000)).toBeUndefined();
  });

  it("does not count another node's answers, and says when a node answered for the VIP in a stretch", () => {
    expect(witnessDecidesVip(alive(build().witnessFor(VIP), 0, 10_000, 'linux01', L1).history, 'linux02', 3000, 6000)).toBeUndefined();
    const b = build().witnessFor(VIP).arp(4000, VIP, 'linux02');
    expect(witnessSawVip(b.history, 'linux02', 3000, 6000)).toBe(true);
    expect(witnessSawVip(b.history, 'linux02', 4001, 6000)).toBe(false);
    expect(witnessSawVip(b.history, 'linux01', 3000, 6000)).toBe(false);
  });
});

describe('the witness, exactly', () => {
  it("reads only its own probe's answers, and only the VIP's start note", () => {
    const b = build().witnessFor(VIP).arp(1000, VIP, 'linux01');
    b.history.append({ kind: 'witness', at: 1002, probe: 'mysql', address: VIP, node: 'linux02' });
    b.history.append({ kind: 'witness', at: 1003, probe: 'mysql', address: VIP, mac: '52:54:00:00:00:02' });
    expect(arpDoubles(b.history, VIP)).toEqual([]);
    expect(foreignVipAnswers(b.history, VIP)).toEqual([]);
    expect(witnessSawVip(b.history, 'linux02', 0, 5000)).toBe(false);
    expect(witnessedVip(build().note('witnessVip', 0).history)).toBeUndefined();
  });

  it('closes the last round too, and a round of one answer from a foreign MAC for another address is not the VIP\'s', () => {
    const b = build().witnessFor(VIP).arp(1000, VIP, 'linux01').arp(5000, VIP, 'linux01').arp(5001, VIP, 'linux02');
    expect(arpDoubles(b.history, VIP).map((d) => d.at)).toEqual([5000]);
    expect(foreignVipAnswers(build().witnessFor(VIP).arp(1000, L2, 'mac:de:ad:be:ef:00:01').history, VIP)).toEqual([]);
  });

  it('holds the VIP answer margin and the silence bound at their edges', () => {
    const base = () => alive(build().witnessFor(VIP), 0, 10_000);
    expect(witnessDecidesVip(base().arp(3000 - ALIVE_GAP_MS, VIP, 'linux02').history, 'linux02', 3000, 6000)).toBeUndefined();
    expect(witnessDecidesVip(base().arp(3000 - ALIVE_GAP_MS - 1, VIP, 'linux02').history, 'linux02', 3000, 6000)).toBeDefined();
    expect(witnessDecidesVip(base().arp(6000 + ALIVE_GAP_MS, VIP, 'linux02').history, 'linux02', 3000, 6000)).toBeUndefined();
    expect(witnessDecidesVip(base().arp(6000 + ALIVE_GAP_MS + 1, VIP, 'linux02').history, 'linux02', 3000, 6000)).toBeDefined();
    // The last answer before the stretch exactly ALIVE_GAP_MS before it, and answers exactly ALIVE_GAP_MS apart: alive.
    const edge = build().witnessFor(VIP).arp(2000, L2, 'linux02').arp(3000, L2, 'linux02').arp(4000, L2, 'linux02').arp(5000, L2, 'linux02').arp(6000, L2, 'linux02');
    expect(witnessDecidesVip(edge.history, 'linux02', 3000, 6000)).toBeDefined();
    expect(witnessDecidesVip(edge.history, 'linux02', 3001, 6000)).toBeDefined();
    expect(witnessDecidesVip(edge.history, 'linux02', 3000, 6001)).toBeUndefined();
    const late = build().witnessFor(VIP).arp(1999, L2, 'linux02').arp(3000, L2, 'linux02').arp(4001, L2, 'linux02').arp(6000, L2, 'linux02');
    expect(witnessDecidesVip(late.history, 'linux02', 3000, 6000)).toBeUndefined();
    expect(witnessDecidesVip(build().witnessFor(VIP).arp(1000, L2, 'linux02').arp(1999, L2, 'linux02').arp(2998, L2, 'linux02').history, 'linux02', 2001, 2998)).toBeDefined();
  });

  it('counts the stretch\'s own edges as inside it', () => {
    const b = build().witnessFor(VIP).arp(3000, VIP, 'linux02').arp(6000, VIP, 'linux01');
    expect(witnessSawVip(b.history, 'linux02', 3000, 6000)).toBe(true);
    expect(witnessSawVip(b.history, 'linux01', 3000, 6000)).toBe(true);
    expect(witnessSawVip(b.history, 'linux01', 3000, 5999)).toBe(false);
    expect(witnessSawVip(build().arp(3000, VIP, 'linux02').history, 'linux02', 0, 9000)).toBe(false);
  });
});
