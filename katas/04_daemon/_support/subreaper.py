# Runs a command as the child of a "child subreaper", as systemd --user is on
# many desktops: an orphan anywhere below this process is adopted by it, not by
# pid 1. It reaps every child and orphan, and ends when none is left.
#   python3 subreaper.py <program> <args...>
import ctypes
import os
import sys

PR_SET_CHILD_SUBREAPER = 36

libc = ctypes.CDLL(None, use_errno=True)
if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
    print(f"subreaper: prctl failed: {os.strerror(ctypes.get_errno())}", file=sys.stderr)
    sys.exit(3)
child = os.fork()
if child == 0:
    os.execv(sys.argv[1], sys.argv[1:])
while True:
    try:
        os.wait()
    except ChildProcessError:
        break
