#!/usr/bin/env bash
# Installs fcsynth on this machine: the two binaries in /usr/local/bin (the Lua scripts are
# compiled into them), the systemd units in /etc/systemd/system, and /etc/fcsynth/worker.env
# (kept if present).
#
# Usage: install.sh [--from DIR] [--root DIR]
#   --from DIR  install the binaries in DIR (fcsynth, fcsynth-worker), e.g. a release build
#               copied from another machine, instead of building here
#   --root DIR  install under DIR instead of /, and leave the running systemd alone
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
from=""
root=""
while [ $# -gt 0 ]; do
    case "$1" in
        --from) from=${2:?--from needs a directory}; shift 2 ;;
        --root) root=${2:?--root needs a directory}; shift 2 ;;
        -h | --help) sed -n '2,/^set /{/^set /d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
        *) echo "install.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
    esac
done

if [ -z "$root" ] && [ "$(id -u)" -ne 0 ]; then
    echo "install.sh: run as root (sudo), or give --root DIR" >&2
    exit 1
fi

if [ -z "$from" ]; then
    # A static Swift runtime lets the binaries run on machines without a Swift toolchain.
    build=(swift build -c release --static-swift-stdlib --package-path "$repo")
    # Under sudo, build as the invoking user so that root owns nothing in the checkout.
    [ -n "${SUDO_USER:-}" ] && build=(sudo -u "$SUDO_USER" "${build[@]}")
    "${build[@]}"
    from=$("${build[@]}" --show-bin-path)
fi
for item in fcsynth fcsynth-worker; do
    [ -e "$from/$item" ] || { echo "install.sh: $from/$item is missing" >&2; exit 1; }
done
if ldd "$from/fcsynth" "$from/fcsynth-worker" | grep 'not found' >&2; then
    echo "install.sh: libraries are missing; on Debian or Ubuntu: apt-get install libhiredis0.14 libcurl4" >&2
    exit 1
fi

bin="$root/usr/local/bin"
units="$root/etc/systemd/system"
config="$root/etc/fcsynth"
install -d -m 0755 "$bin" "$units"
install -d -m 0700 "$config"
# install replaces a file by a new inode, so running workers keep their old binary until restarted.
install -m 0755 "$from/fcsynth" "$from/fcsynth-worker" "$bin/"
install -m 0644 "$here/fcsynth-worker@.service" "$here/fcsynth-simulator.service" "$units/"
if [ -e "$config/worker.env" ]; then
    echo "kept $config/worker.env"
else
    install -m 0600 "$here/worker.env" "$config/worker.env"
    echo "installed $config/worker.env: set FCSYNTH_REDIS_URL and FCSYNTH_LLM_URL there"
fi

if [ -n "$root" ]; then
    echo "installed under $root"
    exit 0
fi
systemctl daemon-reload
cat <<'NEXT'
Next:
  edit /etc/fcsynth/worker.env
  systemctl enable --now fcsynth-worker@{1..4}     # four workers on this machine
  systemctl enable --now fcsynth-simulator         # only for a dry run on the simulated LLM
  journalctl -u 'fcsynth-worker@*' -f
NEXT
