#!/usr/bin/env bash
# Screenshots of the real TUI on the real demo fleet, from a real terminal (tmux) capture:
# main view, help, a zoomed pane, a guest doing disk and network I/O, its task list, the memory advice. Writes screenshots/*.png (and the .txt captures).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
command -v chromium >/dev/null || { [ "$(id -u)" = 0 ] && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >&2; }
W=${W:-120}; H=${H:-36}
sock="umltop-shots-$$"
t() { tmux -L "$sock" -f /dev/null "$@"; }
trap 't kill-server 2>/dev/null || true' EXIT
t new-session -d -x "$W" -y "$H" -s shots "TERM=xterm-256color node bin/umltop demo 2>/dev/null; sleep 30"
t set-option -t shots status off
# let the fleet boot and some history build up
for i in $(seq 1 60); do sleep 1; t capture-pane -p -t shots | grep -q 'demo-cpu *running *[1-9][0-9]' && break; done
sleep 20
shot() {  # name
  t capture-pane -p -e -t shots > "screenshots/$1.txt"
  node scripts/ansi-to-html.mjs "screenshots/$1.txt" "screenshots/$1.html" "umltop — $1"
  chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --user-data-dir="$(mktemp -d)" --hide-scrollbars \
    --window-size=$((W * 9 + 40)),$((H * 18 + 40)) --screenshot="$PWD/screenshots/$1.png" "file://$PWD/screenshots/$1.html" >/dev/null 2>&1
  rm -f "screenshots/$1.html"
  echo "screenshots/$1.png"
}
t send-keys -t shots j; sleep 2
shot main
t send-keys -t shots '?'; sleep 1
shot help
t send-keys -t shots '?'; sleep 1; for k in Tab Tab Tab; do t send-keys -t shots $k; sleep 0.3; done; t send-keys -t shots Enter; sleep 2
shot zoomed-interrupts
t send-keys -t shots Escape; sleep 0.5; t send-keys -t shots Escape; sleep 0.5
# demo-io: its disk and network in the pane, then its task list (sysrq t)
t send-keys -t shots / demo-io Enter; sleep 2
shot io
t send-keys -t shots t; for i in $(seq 1 20); do sleep 1; t capture-pane -p -t shots | grep -q 'tasks (sysrq t, from' && break; done
shot tasks
t send-keys -t shots Escape; sleep 0.5
# where memory is needed: every guest's pressure and advice, and the host's headroom (W)
t send-keys -t shots Escape; sleep 0.5; t send-keys -t shots W; sleep 2
shot memory-advice
t send-keys -t shots Escape; sleep 0.5; t send-keys -t shots q; sleep 3
