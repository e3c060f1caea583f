#!/usr/bin/env bash
# mmdebstrap customize hook: turns the chroot into a Vagrant base box. $1 = rootfs, $2 = pubkey file
set -euo pipefail
root=$1 pubkey=$2
chr() { chroot "$root" "$@"; }

echo "/dev/vda / ext4 defaults,noatime 0 1" > "$root/etc/fstab"
echo localhost > "$root/etc/hostname"

# Vagrant conventions: user vagrant, insecure key (replaced on first `vagrant up`), passwordless sudo.
chr useradd -m -s /bin/bash vagrant
install -d -m 700 -o 1000 -g 1000 "$root/home/vagrant/.ssh"
install -m 600 -o 1000 -g 1000 "$pubkey" "$root/home/vagrant/.ssh/authorized_keys"
echo 'vagrant ALL=(ALL) NOPASSWD: ALL' > "$root/etc/sudoers.d/vagrant"
chmod 440 "$root/etc/sudoers.d/vagrant"
printf 'UseDNS no\nGSSAPIAuthentication no\n' > "$root/etc/ssh/sshd_config.d/vagrant.conf"

# Management NIC by DHCP through systemd-networkd (vagrant configures eth1 the same way).
cat > "$root/etc/systemd/network/10-eth0.network" <<'NET'
[Match]
Name=eth0
[Network]
DHCP=ipv4
NET
chr systemctl enable systemd-networkd.service
# The lab address from the kernel command line (halab.lab=eth1,192.168.211.128/24, set by the
# Vagrantfile for direct kernel boot), written before networkd starts: vagrant need not log in
# to configure it. Without the parameter nothing happens and vagrant configures the NIC itself.
cat > "$root/usr/local/sbin/halab-lab-address" <<'SH'
#!/bin/sh
spec=$(tr ' ' '\n' < /proc/cmdline | sed -n 's/^halab\.lab=//p')
[ -n "$spec" ] || exit 0
mkdir -p /run/systemd/network
printf '[Match]\nName=%s\n[Network]\nAddress=%s\nLinkLocalAddressing=no\nIPv6AcceptRA=no\n' "${spec%%,*}" "${spec#*,}" \
  > /run/systemd/network/20-halab-lab.network
SH
chmod 755 "$root/usr/local/sbin/halab-lab-address"
cat > "$root/etc/systemd/system/halab-lab-address.service" <<'UNIT'
[Unit]
Description=Lab network address from the kernel command line
DefaultDependencies=no
Before=systemd-networkd.service network-pre.target
Wants=network-pre.target
[Service]
Type=oneshot
ExecStart=/usr/local/sbin/halab-lab-address
[Install]
WantedBy=systemd-networkd.service
UNIT
chr systemctl enable halab-lab-address.service
# Boot must not wait for every link: eth1 is configured later by vagrant.
chr systemctl mask systemd-networkd-wait-online.service

# The procedure starts these itself (the guide: heartbeat owns mysqld; drbd's init script
# waits for the peer forever). Nothing periodic either: it only steals CPU under TCG.
for unit in mariadb.service heartbeat.service drbd.service apt-daily.timer apt-daily-upgrade.timer \
            man-db.timer e2scrub_all.timer e2scrub_reap.service fstrim.timer logrotate.timer lvm2-monitor.service; do
  chr systemctl disable "$unit" 2>/dev/null || true
done

# The guide serves the blog with nginx; apt-preferences keeps apache out. Fail the build, not a
# spec later, if apache came in all the same or a package is missing.
if chr dpkg-query -W -f='${db:Status-Abbrev}${Package}\n' 'apache2*' 'libapache2-mod-php*' 2>/dev/null | grep '^ii'; then
  echo "customize: apache came in with the packages above" >&2; exit 1
fi
grep -v -e '^#' -e '^$' "$(dirname "$0")/packages.txt" \
  | xargs chroot "$root" dpkg-query -W -f='${db:Status-Abbrev}${Package}\n' | { ! grep -v '^ii '; }

# The initramfs was made once at the kernel's install, small (setup-initramfs.sh); check it is.
initrd=$(ls "$root"/boot/initrd.img-* | sort -V | tail -1)
if ! chr lsinitramfs "${initrd#"$root"}" | grep 'virtio_blk.ko' > /dev/null; then  # not -q: pipefail would see lsinitramfs's SIGPIPE
  echo "customize: $initrd lacks virtio_blk: the setup hook's initramfs settings were not used" >&2; exit 1
fi

# SSH host keys differ per VM: made on first boot. No RSA key: generating one costs ~10 s under TCG.
rm -f "$root"/etc/ssh/ssh_host_*
cat > "$root/etc/systemd/system/ssh-hostkeys.service" <<'UNIT'
[Unit]
Description=Generate SSH host keys on first boot
Before=ssh.service
ConditionPathExists=!/etc/ssh/ssh_host_ed25519_key
[Service]
Type=oneshot
ExecStart=/usr/bin/ssh-keygen -q -t ed25519 -N '' -f /etc/ssh/ssh_host_ed25519_key
ExecStart=/usr/bin/ssh-keygen -q -t ecdsa -N '' -f /etc/ssh/ssh_host_ecdsa_key
[Install]
WantedBy=multi-user.target
UNIT
chr systemctl enable ssh-hostkeys.service
chr apt-get clean
rm -rf "$root"/var/lib/apt/lists/*
