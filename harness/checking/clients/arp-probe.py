#!/usr/bin/env python3
"""ARP prober for the host witness: every INTERVAL seconds, one broadcast who-has per ADDRESS on
INTERFACE; prints every reply as `<epoch ms> <address> <mac>` as it arrives, until DURATION.
Every holder of an address answers each broadcast, so two lines for one round are two holders.
Standard library only (an AF_PACKET socket: root, or CAP_NET_RAW)."""
import fcntl, select, socket, struct, sys, time

def main(interface, interval, duration, addresses):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0806))
    s.bind((interface, 0))
    info = fcntl.ioctl(s.fileno(), 0x8927, struct.pack('256s', interface.encode()[:15]))  # SIOCGIFHWADDR
    mac = info[18:24]
    addr = fcntl.ioctl(s.fileno(), 0x8915, struct.pack('256s', interface.encode()[:15]))  # SIOCGIFADDR
    ip = addr[20:24]
    targets = {socket.inet_aton(a): a for a in addresses}
    end = time.time() + duration
    next_round = 0.0
    while time.time() < end:
        now = time.time()
        if now >= next_round:
            for target in targets:
                arp = struct.pack('!HHBBH6s4s6s4s', 1, 0x0800, 6, 4, 1, mac, ip, b'\0' * 6, target)
                s.send(b'\xff' * 6 + mac + b'\x08\x06' + arp)
            next_round = now + interval
        ready, _, _ = select.select([s], [], [], max(0.0, next_round - time.time()))
        if not ready:
            continue
        frame = s.recv(2048)
        at = int(time.time() * 1000)
        if len(frame) < 42 or frame[12:14] != b'\x08\x06':
            continue
        op, sender_mac, sender_ip = struct.unpack('!6xH6s4s', frame[14:32])
        if op == 2 and sender_ip in targets:
            print(at, targets[sender_ip], ':'.join('%02x' % b for b in sender_mac), flush=True)

if __name__ == '__main__':
    if len(sys.argv) < 5:
        sys.exit('usage: arp-probe.py INTERFACE INTERVAL_SECONDS DURATION_SECONDS ADDRESS...')
    try:
        main(sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), sys.argv[4:])
    except KeyboardInterrupt:
        pass
