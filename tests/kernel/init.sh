#!/bin/busybox sh
# /init of the test initramfs: mount the host's / read-only over 9p, give it writable tmpfs where the
# tests need to write, chroot into it and run tests/kernel/guest.sh from the checkout.
# Every path ends in exactly one "EDGE-KERNEL-RESULT rc=N" console line, then power-off.
/bin/busybox --install -s /bin
export PATH=/bin

result() {
  # On a line of its own: whatever the suite printed last may not end in a newline.
  printf '\nEDGE-KERNEL-RESULT rc=%s %s\n' "$1" "$2"
  sync
  poweroff -f
}
must() { "$@" || result 90 "init: '$*' failed"; }

must mount -t proc proc /proc
must mount -t sysfs sys /sys
must mount -t devtmpfs dev /dev

arg() { tr ' ' '\n' </proc/cmdline | sed -n "s/^$1=//p" | tail -n1; }
REPO=$(arg edge.repo)
MODULES=$(arg edge.modules)
FILTER=$(arg edge.filter)
NODE_DIR=$(arg edge.node) # the host's node may live outside the standard PATH (nvm, /opt)
[ -n "$REPO" ] && [ -n "$MODULES" ] || result 91 "init: edge.repo/edge.modules missing from the kernel command line"

for ko in $(cat /modules/order); do
  must insmod "/modules/$ko"
done

# cache=loose: the export is read-only, so caching its pages and metadata is safe and makes node start fast.
must mount -t 9p -o trans=virtio,version=9p2000.L,ro,cache=loose,msize=512000 hostroot /newroot
R=/newroot
must mount --move /proc $R/proc
must mount --move /sys $R/sys
must mount --move /dev $R/dev
# Writable scratch space on tmpfs, without hiding the checkout if it lives under /tmp or /run itself.
GUEST_TMP=/tmp
case "$REPO/" in
  /tmp/*) GUEST_TMP=/run/edge-kernel-tmp ;;
  *) must mount -t tmpfs -o mode=1777 tmp $R/tmp ;;
esac
case "$REPO/" in
  /run/*) [ "$GUEST_TMP" = /tmp ] || result 93 "init: checkout $REPO is under both /tmp and /run?" ;;
  *) must mount -t tmpfs run $R/run ;;
esac
must mkdir -p "$R$GUEST_TMP"
[ -d $R/dev/shm ] || mkdir -p $R/dev/shm
must mount -t tmpfs -o mode=1777 shm $R/dev/shm
mkdir -p $R/dev/pts && mount -t devpts devpts $R/dev/pts
# The guest kernel's modules come from the cache; the host's own /lib/modules is for another kernel.
must mount --bind "$R$MODULES" $R/lib/modules

echo "init: host / mounted; running $REPO/tests/kernel/guest.sh"
chroot $R /usr/bin/env -i PATH=$NODE_DIR:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=$GUEST_TMP TMPDIR=$GUEST_TMP TERM=dumb \
  EDGE_KERNEL_FILTER="$FILTER" /bin/bash "$REPO/tests/kernel/guest.sh" "$REPO"
rc=$?
result $rc "guest.sh"
