#!/usr/bin/env bash
# Hardware-in-the-loop suite: boots Debian's own kernel under QEMU (TCG, no KVM), loads i2c-stub and
# gpio-sim, and runs tests/kernel/**/*.test.ts inside the guest straight from this checkout.
# Exit code: the guest vitest's exit code; any failure on the way (packages, build, boot) is a failure.
# Idempotent: downloads and builds are cached in $EDGE_KERNEL_CACHE (default .cache/kernel, git-ignored).
set -euo pipefail

# Physical paths: the guest resolves symlinks inside its chroot, not in the initramfs that sets it up.
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
CACHE=${EDGE_KERNEL_CACHE:-$REPO/.cache/kernel}
GUEST_TIMEOUT_S=${EDGE_KERNEL_TIMEOUT_S:-1500}
export PATH="$PATH:/usr/sbin:/sbin"
export DEBIAN_FRONTEND=noninteractive

log() { echo "test:kernel: $*" >&2; }
fail() {
  echo "test:kernel: FAILED: $*" >&2
  exit 1
}
[ "$(uname -m)" = x86_64 ] || fail "needs an x86_64 host (boots Debian's amd64 kernel)"
[ "$(id -u)" = 0 ] || fail "must run as root (apt-get, and the 9p export of / must be readable in full)"

apt_locked() { flock /tmp/apt.lock "$@"; }
mkdir -p "$CACHE"
CACHE=$(cd "$CACHE" && pwd -P)

# --- 1. Which kernel: whatever Debian's linux-image-amd64 points at right now, never hard-coded.
kernel_version() {
  apt-cache depends linux-image-amd64 2>/dev/null | sed -n 's/^ *Depends: linux-image-\([0-9].*-amd64\)$/\1/p' | head -n1
}
KVER=$(kernel_version)
if [ -z "$KVER" ]; then
  log "apt lists are empty: apt-get update"
  apt_locked apt-get update -qq || fail "apt-get update failed"
  KVER=$(kernel_version)
fi
[ -n "$KVER" ] || fail "cannot derive the kernel version from 'apt-cache depends linux-image-amd64'"
KSERIES=$(echo "$KVER" | sed -n 's/^\([0-9]*\.[0-9]*\)\..*/\1/p') # 6.1.0-57-amd64 -> 6.1
IMGVER=$(apt-cache policy "linux-image-$KVER" 2>/dev/null | sed -n 's/^ *Candidate: //p' | head -n1)
[ -n "$IMGVER" ] && [ "$IMGVER" != "(none)" ] || fail "no installable linux-image-$KVER in the apt lists"
log "kernel $KVER $IMGVER (sources: linux-source-$KSERIES)"

# --- 2. Host packages. Checked by dpkg status, installed only if missing.
need=()
for pkg in qemu-system-x86 busybox-static gpiod kmod cpio gzip xz-utils make gcc; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need+=("$pkg")
done
# The headers must be the very build of the image we boot (module version magic), not an older installed one.
[ "$(dpkg-query -W -f='${Version}' "linux-headers-$KVER" 2>/dev/null)" = "$IMGVER" ] || need+=("linux-headers-$KVER=$IMGVER")
if [ ${#need[@]} -gt 0 ]; then
  log "installing ${need[*]}"
  apt_locked sh -c 'apt-get update -qq && apt-get install -y -qq --no-install-recommends "$@"' sh "${need[@]}" >"$CACHE/apt.log" 2>&1 \
    || { tail -n 30 "$CACHE/apt.log" >&2; fail "apt-get install ${need[*]} failed"; }
fi
for cmd in qemu-system-x86_64 depmod modprobe cpio gzip make; do
  command -v "$cmd" >/dev/null || fail "$cmd not found after installing packages"
done
[ -x /bin/busybox ] && ! ldd /bin/busybox >/dev/null 2>&1 || fail "/bin/busybox is not the static build (busybox-static)"
HEADERS=/usr/src/linux-headers-$KVER
[ -f "$HEADERS/Makefile" ] || fail "kernel headers missing at $HEADERS"

# --- 3. The kernel image and sources: Debian packages, downloaded (not installed) into the cache.
# Keyed by the image package's version too: a Debian update that keeps the ABI name still rebuilds everything.
KDIR=$CACHE/$KVER-$IMGVER
mkdir -p "$KDIR/debs"
candidate() { apt-cache policy "$1" 2>/dev/null | sed -n 's/^ *Candidate: //p' | grep -v '(none)' | head -n1; }
fetch_deb() { # package -> path of its .deb (the candidate version) in the cache
  local pkg=$1 ver deb
  ver=$(candidate "$pkg")
  [ -n "$ver" ] || { echo "no candidate version of $pkg in the apt lists" >&2; return 1; }
  deb=$(ls "$KDIR/debs/${pkg}_${ver//:/%3a}_"*.deb 2>/dev/null | head -n1 || true)
  if [ -n "$deb" ] && ! dpkg-deb --info "$deb" >/dev/null 2>&1; then rm -f "$deb"; deb=""; fi # an interrupted download
  if [ -z "$deb" ]; then
    (cd "$KDIR/debs" && apt-get download -q "$pkg=$ver" >/dev/null 2>"$KDIR/debs/$pkg.err") || {
      cat "$KDIR/debs/$pkg.err" >&2
      return 1
    }
    deb=$(ls "$KDIR/debs/${pkg}_${ver//:/%3a}_"*.deb | head -n1)
  fi
  echo "$deb"
}
ROOT=$KDIR/image # the image package's files: boot/vmlinuz-*, lib/modules/$KVER
MODDIR=$ROOT/lib/modules/$KVER
if [ ! -f "$KDIR/image.done" ]; then
  log "downloading linux-image-$KVER"
  deb=$(fetch_deb "linux-image-$KVER") || fail "cannot download linux-image-$KVER"
  rm -rf "$ROOT" && mkdir -p "$ROOT"
  dpkg-deb -x "$deb" "$ROOT" || fail "cannot unpack $deb"
  touch "$KDIR/image.done"
fi
VMLINUZ=$ROOT/boot/vmlinuz-$KVER
[ -f "$VMLINUZ" ] || fail "no kernel at $VMLINUZ"

# --- 4. gpio-sim and irq_sim are not built in Debian's config: build them out of tree from the same sources.
SIM_FILES=(drivers/gpio/gpio-sim.c drivers/gpio/gpiolib.h kernel/irq/irq_sim.c)
BUILD=$KDIR/modules
if [ ! -f "$KDIR/modules.done" ]; then
  log "downloading linux-source-$KSERIES to build gpio-sim and irq_sim"
  deb=$(fetch_deb "linux-source-$KSERIES") || fail "cannot download linux-source-$KSERIES"
  rm -rf "$BUILD" "$KDIR/src" && mkdir -p "$BUILD" "$KDIR/src"
  dpkg-deb --fsys-tarfile "$deb" | tar -xO --wildcards './usr/src/linux-source-*.tar.xz' \
    | tar -xJ -C "$KDIR/src" --wildcards "${SIM_FILES[@]/#/*/}" || fail "cannot extract ${SIM_FILES[*]} from $deb"
  for f in "${SIM_FILES[@]}"; do
    src=$(find "$KDIR/src" -path "*/$f" | head -n1)
    [ -n "$src" ] || fail "$f is not in linux-source-$KSERIES"
    cp "$src" "$BUILD/"
  done
  # Built as a module, irq_sim must hand interrupts over through an exported call (handle_simple_irq on a
  # descriptor needs the non-exported irq_to_desc) and declare its licence to use the GPL-only symbols.
  sed -i 's/handle_simple_irq(irq_to_desc(irqnum));/generic_handle_irq(irqnum);/' "$BUILD/irq_sim.c"
  grep -q 'generic_handle_irq(irqnum);' "$BUILD/irq_sim.c" || fail "irq_sim.c did not take the module patch (source changed?)"
  grep -q MODULE_LICENSE "$BUILD/irq_sim.c" || printf '\n#include <linux/module.h>\nMODULE_LICENSE("GPL");\n' >>"$BUILD/irq_sim.c"
  echo 'obj-m := irq_sim.o gpio-sim.o' >"$BUILD/Kbuild"
  make -s -C "$HEADERS" M="$BUILD" modules >"$BUILD/build.log" 2>&1 || {
    tail -n 40 "$BUILD/build.log" >&2
    fail "building gpio-sim/irq_sim against $HEADERS failed"
  }
  mkdir -p "$MODDIR/extra"
  cp "$BUILD/irq_sim.ko" "$BUILD/gpio-sim.ko" "$MODDIR/extra/"
  depmod -b "$ROOT" "$KVER" || fail "depmod failed"
  rm -rf "$KDIR/src"
  touch "$KDIR/modules.done"
fi

# --- 5. The initramfs: static busybox, the modules to reach the host's / over 9p, and our /init.
# Rebuilt each run (under a second) so edits to init.sh always take effect.
INITRD=$KDIR/initramfs.cpio.gz
STAGE=$KDIR/initramfs
rm -rf "$STAGE" && mkdir -p "$STAGE"/{bin,dev,proc,sys,newroot,modules}
cp /bin/busybox "$STAGE/bin/busybox"
: >"$STAGE/modules/order"
for m in virtio_pci 9pnet_virtio 9p; do
  modprobe -d "$ROOT" -S "$KVER" --show-depends "$m" | awk '$1 == "insmod" { print $2 }'
done | awk '!seen[$0]++' | while read -r ko; do
  cp "$ko" "$STAGE/modules/"
  basename "$ko" >>"$STAGE/modules/order"
done
[ -s "$STAGE/modules/order" ] || fail "could not resolve the virtio/9p modules in $MODDIR"
install -m 0755 "$REPO/tests/kernel/init.sh" "$STAGE/init"
(cd "$STAGE" && find . | cpio -o -H newc --quiet | gzip -1 >"$INITRD") || fail "cannot pack the initramfs"

# --- 6. Boot. The guest prints one result line on its console; no line means the run failed.
NODE=$(command -v node) || fail "node is not on PATH"
CONSOLE=$KDIR/console.log
log "booting under qemu (TCG); guest console: $CONSOLE"
started=$(date +%s)
set +e
timeout --kill-after=10 "$GUEST_TIMEOUT_S" qemu-system-x86_64 \
  -accel tcg -cpu max -smp "${EDGE_KERNEL_CPUS:-2}" -m "${EDGE_KERNEL_MEM_MB:-2048}" \
  -nodefaults -no-user-config -display none -no-reboot \
  -chardev stdio,id=con,signal=off -serial chardev:con \
  -kernel "$VMLINUZ" -initrd "$INITRD" \
  -append "console=ttyS0 panic=-1 loglevel=4 edge.repo=$REPO edge.modules=$ROOT/lib/modules edge.node=$(dirname "$(readlink -f "$NODE")") edge.filter=${EDGE_KERNEL_FILTER:-}" \
  -virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
  </dev/null 2>&1 | tee "$CONSOLE"
qemu_rc=${PIPESTATUS[0]}
set -e
log "guest ran $(($(date +%s) - started)) s"
[ "$qemu_rc" = 124 ] && fail "the guest did not finish within ${GUEST_TIMEOUT_S} s (console: $CONSOLE)"
[ "$qemu_rc" = 0 ] || fail "qemu exited with $qemu_rc (console: $CONSOLE)"
result=$(tr -d '\r' <"$CONSOLE" | sed -n 's/.*EDGE-KERNEL-RESULT rc=\([0-9]*\).*/\1/p' | tail -n1)
[ -n "$result" ] || fail "the guest never reported a result: boot or setup failed (console: $CONSOLE)"
if [ "$result" != 0 ]; then
  reason=$(tr -d '\r' <"$CONSOLE" | sed -n 's/.*EDGE-KERNEL-RESULT rc=[0-9]* *//p' | tail -n1)
  fail "guest suite exited with $result${reason:+ ($reason)}"
fi
log "passed"
