#!/usr/bin/env bash
# The README's first command: set up what is missing, then run umltop on a demo fleet.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# setup.sh already probed the kernel (cached); hand it to the fleet launcher
kernel_env=$(bash scripts/uml-kernel.sh 2>/dev/null)
export UMLTOP_FLEET_KERNEL=$(sed -n "s/^UMLTOP_KERNEL=//p" <<<"$kernel_env")
export UMLTOP_FLEET_ROOTFS=$(sed -n "s/^UMLTOP_ROOTFS=//p" <<<"$kernel_env")
exec bin/umltop demo "$@"
