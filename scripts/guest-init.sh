#!/bin/sh
# PID 1 of umltop's test and demo guests (busybox over hostfs, mounted read-only and shared).
# The workload comes from the kernel command line: umltop.workload=a,b,...  umltop.arg=N
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sys /sys 2>/dev/null
mount -t devtmpfs dev /dev 2>/dev/null
mount -t tmpfs -o size=90% tmp /tmp
echo 1 > /proc/sys/kernel/sysrq 2>/dev/null
workloads=idle; arg=
for word in $(cat /proc/cmdline); do
  case "$word" in
    umltop.workload=*) workloads=${word#*=} ;;
    umltop.arg=*) arg=${word#*=} ;;
  esac
done
echo "umltop-guest: workloads=$workloads arg=$arg"
for w in $(echo "$workloads" | tr , ' '); do
  case "$w" in
    probe) echo t > /proc/sysrq-trigger; sleep 1; echo UMLTOP-PROBE-OK; poweroff -f ;;
    idle) ;;
    cpu) (while :; do :; done) & ;;
    memhog) dd if=/dev/zero of=/tmp/hog bs=1M count="${arg:-32}" 2>/dev/null; echo "umltop-guest: memhog holds ${arg:-32} MiB in tmpfs" ;;
    notify) (while :; do echo "umltop-notify uptime $(cut -d' ' -f1 /proc/uptime)" > /proc/mconsole; sleep "${arg:-2}"; done) & ;;
    panic) (sleep "${arg:-5}"; echo c > /proc/sysrq-trigger) & ;;
    chatty) (while :; do ls -R /proc/sys >/dev/null 2>&1; sleep 1; done) & ;;
    *) echo "umltop-guest: unknown workload $w" ;;
  esac
done
echo UMLTOP-READY
while :; do sleep 3600; done
