#!/usr/bin/env bash
# Builds the ha-lab Vagrant box (libvirt provider) from Debian 12 packages, offline
# except for the Debian mirror. Usage: build-box.sh OUT_DIR VAGRANT_PUBKEY
# Writes OUT_DIR/box/{box.img,vmlinuz,initrd.img,metadata.json,Vagrantfile}.
set -euo pipefail
# The system's tools only: a version manager's shims in root's PATH (pyenv's python3 took 0.65 s
# to start here, /usr/bin/python3 0.06 s) slowed the build by half a minute, because mmdebstrap
# runs a python3 filter (mmtarfilter) for every package it extracts.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
out=$1 pubkey=$2
here=$(cd "$(dirname "$0")" && pwd)
mirror=${HALAB_DEBIAN_MIRROR:-http://deb.debian.org/debian}
# The root file system is built in memory when there is room (tmpfs): dpkg's hundreds of
# thousands of small writes were most of the build on this machine's disk.
shm_free_mib=$(df -m --output=avail /dev/shm 2>/dev/null | tail -1 || echo 0)
if [ "${shm_free_mib:-0}" -gt 6144 ]; then work=$(mktemp -d /dev/shm/ha-lab-box.XXXXXX); chmod 755 "$work"; else work=$out/work; fi
# An interrupted mmdebstrap can leave /proc, /sys, /dev/pts and /dev/shm mounted in the root file
# system: unmount whatever is under the work directory before removing it, and never let the
# removal cross into another file system.
cleanup() {
  set +e  # every step of the cleanup runs, whatever the one before it returned
  # mmdebstrap finishes the dpkg run it is in before it obeys TERM (about a minute at worst).
  if [ -n "${builder:-}" ]; then echo "[box] stopping mmdebstrap (it finishes its current dpkg run first)"; kill -TERM "$builder"; wait "$builder"; fi
  findmnt -rn -o TARGET | grep -F "$work/" | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
  rm -rf --one-file-system "$work"
}
trap cleanup EXIT
# A signal ends the build (bash runs a trap only after its foreground command returns,
# hence mmdebstrap in the background and `wait`).
trap 'exit 130' INT TERM HUP
echo "[box] working in $work"
rm -rf "$out/box"; mkdir -p "$work/rootfs" "$out/box"

pkgs=$(grep -v -e '^#' -e '^$' "$here/packages.txt" | paste -sd, -)
echo "[box] mmdebstrap: Debian 12 minbase + $(echo "$pkgs" | tr ',' '\n' | wc -l) packages"
# Kernel modules a virtio guest never loads are never unpacked (a third of the image, and time),
# dpkg does not fsync a root file system that is thrown away on failure, and the initramfs is
# made once, small (setup-initramfs.sh), instead of MODULES=most at the kernel's install.
exclude_modules=()
for dir in drivers/gpu drivers/media drivers/net/wireless drivers/net/ethernet drivers/infiniband drivers/staging \
           drivers/bluetooth drivers/iio drivers/isdn drivers/usb/serial drivers/net/can drivers/hid sound; do
  exclude_modules+=("--dpkgopt=path-exclude=/lib/modules/*/kernel/$dir/*")
done
mmdebstrap --variant=minbase --include="$pkgs" \
  --aptopt='Acquire::Check-Valid-Until "false"' \
  --dpkgopt='force-unsafe-io' \
  --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
  --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/locale/*' \
  "${exclude_modules[@]}" \
  --setup-hook="$here/setup-initramfs.sh \"\$1\"" \
  --setup-hook="mkdir -p \"\$1/etc/apt/preferences.d\" && cp '$here/apt-preferences' \"\$1/etc/apt/preferences.d/ha-lab\"" \
  --customize-hook="$here/customize.sh \"\$1\" '$pubkey'" \
  bookworm "$work/rootfs" \
  "deb $mirror bookworm main" "deb $mirror bookworm-updates main" &
builder=$!
wait "$builder"
builder=

echo "[box] extracting kernel and initrd for direct kernel boot"
cp "$(ls "$work"/rootfs/boot/vmlinuz-* | sort -V | tail -1)" "$out/box/vmlinuz"
cp "$(ls "$work"/rootfs/boot/initrd.img-* | sort -V | tail -1)" "$out/box/initrd.img"

echo "[box] making the ext4 root image"
# Root fs straight on /dev/vda (no partition table, no bootloader): the kernel is booted directly.
truncate -s 3G "$work/root.raw"
mkfs.ext4 -q -L root -d "$work/rootfs" "$work/root.raw"
qemu-img convert -O qcow2 "$work/root.raw" "$out/box/box.img"

cat > "$out/box/metadata.json" <<'JSON'
{"provider":"libvirt","format":"qcow2","virtual_size":3}
JSON
cp "$here/box.Vagrantfile" "$out/box/Vagrantfile"
echo "[box] done: $out/box ($(du -sh "$out/box" | cut -f1))"
