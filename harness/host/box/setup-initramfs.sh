#!/usr/bin/env bash
# mmdebstrap setup hook, before any package is installed. $1 = rootfs
# The kernel's postinst makes the initramfs: make it small the first time (MODULES=list and only
# what direct kernel boot from virtio needs) rather than MODULES=most and again later. conf.d
# and hooks/ are not conffiles of initramfs-tools, so dpkg leaves them alone.
set -euo pipefail
root=$1
mkdir -p "$root/etc/initramfs-tools/conf.d" "$root/etc/initramfs-tools/hooks"
echo 'MODULES=list' > "$root/etc/initramfs-tools/conf.d/ha-lab"
cat > "$root/etc/initramfs-tools/hooks/ha-lab-virtio" <<'HOOK'
#!/bin/sh
case "$1" in prereqs) exit 0 ;; esac
. /usr/share/initramfs-tools/hook-functions
for m in virtio_pci virtio_blk virtio_net ext4; do force_load "$m"; done
HOOK
chmod 755 "$root/etc/initramfs-tools/hooks/ha-lab-virtio"
