#!/bin/sh
# PID 1 of umltop's test and demo guests (busybox over hostfs, mounted read-only and shared).
# The workload comes from the kernel command line: umltop.workload=a,b,...  umltop.arg=N
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sys /sys 2>/dev/null
mount -t devtmpfs dev /dev 2>/dev/null
mount -t tmpfs -o size=90% tmp /tmp
echo 1 > /proc/sys/kernel/sysrq 2>/dev/null
workloads=idle; arg=; hog=0; ip=169.254.77.2; peer=169.254.77.1
for word in $(cat /proc/cmdline); do
  case "$word" in
    umltop.workload=*) workloads=${word#*=} ;;
    umltop.arg=*) arg=${word#*=} ;;
    umltop.ip=*) ip=${word#*=} ;;
    umltop.peer=*) peer=${word#*=} ;;
    umltop.hog=*) hog=${word#*=} ;;
    umltop.period=*) period=${word#*=} ;;
    umltop.phase=*) phase=${word#*=} ;;
  esac
done
# Every loop below ends on its own: after umltop.arg seconds (default 600) at the latest.
until_s=$(( $(cut -d. -f1 /proc/uptime) + ${arg:-600} ))
noipv6() { for f in /proc/sys/net/ipv6/conf/*/disable_ipv6; do echo 1 > "$f"; done 2>/dev/null; }
alive() { [ "$(cut -d. -f1 /proc/uptime)" -lt "$until_s" ]; }
echo "umltop-guest: workloads=$workloads arg=$arg"
for w in $(echo "$workloads" | tr , ' '); do
  case "$w" in
    probe) echo t > /proc/sysrq-trigger; sleep 1; echo UMLTOP-PROBE-OK; poweroff -f ;;
    idle) ;;
    cpu) (while :; do :; done) & ;;
    # a CPU burst (~1/10 of a core here) every second: busy, but a share of the host
    cpuburst) (while :; do i=0; while [ $i -lt 3000 ]; do i=$((i+1)); done; sleep 1; done) & ;;
    # 1 MiB read from the second disk every second, the page cache dropped each time
    diskslow) (while alive; do dd if=/dev/ubdb of=/dev/null bs=64k count=16 2>/dev/null; echo 1 > /proc/sys/vm/drop_caches; sleep 1; done) & ;;
    # idle for arg seconds, then spin: a quiet guest that starts to move
    spinafter) (sleep "${arg:-10}"; echo "umltop-guest: spinning"; while :; do :; done) & ;;
    memhog) dd if=/dev/zero of=/tmp/hog bs=1M count="${arg:-32}" 2>/dev/null; echo "umltop-guest: memhog holds ${arg:-32} MiB in tmpfs" ;;
    # a working set: the whole second disk read again and again, its page cache kept, beside
    # umltop.hog MiB held in tmpfs; a guest with less memory than both reclaims and refaults
    workset) (dd if=/dev/zero of=/tmp/hog bs=1M count="$hog" 2>/dev/null; echo "umltop-guest: workset beside $hog MiB"
      while alive; do dd if=/dev/ubdb of=/dev/null bs=64k 2>/dev/null; done) & ;;
    # a working set that shifts: the whole second disk read again and again in the phases where
    # (uptime / umltop.period + umltop.phase) is even, its first 8 MiB once a second in the others
    shiftset) (dd if=/dev/zero of=/tmp/hog bs=1M count="$hog" 2>/dev/null
      while alive; do
        if [ $(( ($(cut -d. -f1 /proc/uptime) / ${period:-60} + ${phase:-0}) % 2 )) -eq 0 ]; then
          dd if=/dev/ubdb of=/dev/null bs=64k 2>/dev/null
        else dd if=/dev/ubdb of=/dev/null bs=64k count=128 2>/dev/null; sleep 1; fi
      done) & ;;
    notify) (while :; do echo "umltop-notify uptime $(cut -d' ' -f1 /proc/uptime)" > /proc/mconsole; sleep "${arg:-2}"; done) & ;;
    # the console written as fast as the guest can, escape sequences in every line, for arg seconds
    # (a 70-KiB chunk of lines written again and again, each round numbered)
    conflood) i=0; while [ $i -lt 1000 ]; do i=$((i+1))
        printf 'flood %d \033[31mred\033[0m \033]0;pwned\007 %s\n' $i 0123456789abcdef0123456789abcdef; done > /tmp/chunk
      (r=0; while :; do r=$((r+1)); echo "flood round $r"; cat /tmp/chunk
        [ $((r % 10)) -ne 0 ] || alive || break; done > /dev/console) & ;;
    # arg tasks (default 1000) that sleep: a task dump of thousands of lines
    manytasks) (i=0; while [ $i -lt "${arg:-1000}" ]; do sleep 100000 & i=$((i+1)); done
      echo "umltop-guest: $i sleeping tasks") & ;;
    # notes as fast as the guest can write them (a hostile or broken guest), for arg seconds
    noteflood) (i=0; while :; do i=$((i+1)); echo "flood $i" > /proc/mconsole
        [ $((i % 500)) -ne 0 ] || alive || break; done) & ;;
    panic) (sleep "${arg:-5}"; echo c > /proc/sysrq-trigger) & ;;
    chatty) (while :; do ls -R /proc/sys >/dev/null 2>&1; sleep 1; done) & ;;
    # vec0 up with a link-local address and no IPv6 (which would announce itself): silent until asked
    netup) noipv6; ip link set vec0 up && ip addr add "$ip/16" dev vec0 ;;
    # ...and pings to a neighbour nobody is: the ARP frames end at the host's tap
    net) noipv6; ip link set vec0 up && ip addr add "$ip/16" dev vec0 &&
      (ping -q -i 0.2 -w "${arg:-600}" "$peer" >/dev/null 2>&1 &) ;;
    # read the whole second disk again and again, from the disk (the page cache dropped each time)
    diskread) (while alive; do dd if=/dev/ubdb of=/dev/null bs=64k 2>/dev/null; echo 1 > /proc/sys/vm/drop_caches; done) & ;;
    diskwrite) (while alive; do dd if=/dev/zero of=/dev/ubdb bs=64k count=256 conv=fsync 2>/dev/null; done) & ;;
    # keep the second disk open (as a mount would), for refusals of its removal
    diskhold) (exec 3</dev/ubdb; while alive; do sleep 1; done) & ;;
    # a shell on the first console line after con0 (tty1), for console tests; started again when
    # it ends, as a getty is (a pts whose last reader closes it is hung up: the shell gets SIGHUP)
    shell) (while alive; do setsid sh -c 'exec sh -i </dev/tty1 >/dev/tty1 2>&1'; sleep 0.2; done &) ;;
    # tasks named by the guest's user with control characters (a name is anyone's to choose:
    # /proc/self/comm here, a program's file name elsewhere); each sleeps under that name
    hostile) for n in 'x\033]0;pwned\007' 'clr\033[2J' 'nl\nname' 'bidi\342\200\256txt' 'tab\tdel\177' 'c1\302\23331m'; do
        (printf "$n" > /proc/self/comm; while :; do sleep 3600; done) &
      done ;;
    *) echo "umltop-guest: unknown workload $w" ;;
  esac
done
echo UMLTOP-READY
while :; do sleep 3600; done
