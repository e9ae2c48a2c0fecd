#!/bin/bash
# Runs inside the QEMU guest, chrooted into the host's read-only / : load the simulated hardware, run the suite.
# The exit code is the suite's; init.sh reports it on the console for run.sh.
set -euo pipefail
REPO=$1
cd "$REPO"

# i2c-stub: one SMBus register file per address. LIS3DH sits on 0x19 (SA0 high) because MCP9808 has 0x18.
# The tests read the list back from /sys/module/i2c_stub/parameters/chip_addr.
modprobe i2c-dev
modprobe i2c-stub chip_addr=0x48,0x18,0x76,0x53,0x68,0x19
modprobe configfs
mountpoint -q /sys/kernel/config || mount -t configfs configfs /sys/kernel/config
modprobe gpio-sim
[ -d /sys/kernel/config/gpio-sim ] || { echo "guest: gpio-sim did not register in configfs" >&2; exit 92; }

echo "guest: kernel $(uname -r), node $(node --version), i2c adapters: $(cat /sys/class/i2c-adapter/*/name | tr '\n' ' ')"
# Vite's cache and any temp files must land on tmpfs: the 9p root is read-only.
export TMPDIR=${TMPDIR:-/tmp} CI=1 EDGE_KERNEL_GUEST=1 NO_COLOR=1
# configLoader runner: the default loader writes the bundled config under node_modules/, read-only here.
args=(run --config tests/kernel/vitest.kernel.config.ts --configLoader runner)
[ -n "${EDGE_KERNEL_FILTER:-}" ] && args+=("$EDGE_KERNEL_FILTER")
node node_modules/vitest/vitest.mjs "${args[@]}"
