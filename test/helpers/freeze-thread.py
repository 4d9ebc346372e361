# Stop threads of a process, and only them, until this process is told to end (SIGTERM) or its
# time is up: PTRACE_SEIZE + PTRACE_INTERRUPT puts one thread in a ptrace stop while the rest of
# its process runs on (a SIGSTOP would stop them all). The tracee goes on when this process ends.
# usage: freeze-thread.py SECONDS TID...
import ctypes
import signal
import sys
import time

libc = ctypes.CDLL(None, use_errno=True)
libc.ptrace.argtypes = [ctypes.c_long, ctypes.c_long, ctypes.c_void_p, ctypes.c_void_p]
PTRACE_SEIZE, PTRACE_INTERRUPT = 0x4206, 0x4207

seconds, tids = float(sys.argv[1]), [int(t) for t in sys.argv[2:]]
for tid in tids:
    for request in (PTRACE_SEIZE, PTRACE_INTERRUPT):
        if libc.ptrace(request, tid, None, None) != 0:
            sys.stderr.write(f"freeze-thread: ptrace({request:#x}, {tid}): errno {ctypes.get_errno()}\n")
            sys.exit(1)
print("frozen", flush=True)
signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
time.sleep(seconds)
