# Runs one `ray start --block ...` (the arguments after `--`) for a RayNode (ray-node.ts) and makes
# sure nothing it started outlives it. Ray's own fate-sharing (PR_SET_PDEATHSIG on its direct
# children) is not enough: when `ray start` dies, the raylet's children (dashboard agent, runtime env
# agent, workers) are orphaned and keep running, holding the node's ports. So this guard:
#   - is a child subreaper (PR_SET_CHILD_SUBREAPER): every orphaned descendant is re-parented to it,
#     so it can find them all by walking /proc, whatever process group or session they moved to;
#   - asks for SIGTERM when its parent (the agent) dies, even by SIGKILL (PR_SET_PDEATHSIG);
#   - on SIGTERM/SIGINT/SIGHUP gives `ray start` a graceful SIGTERM (it drains and stops its
#     processes), then after the grace period SIGKILLs every descendant still alive;
#   - when stopped that way it also removes the node's temp dir (the agent may be gone);
#   - when `ray start` exits by itself, SIGKILLs what is left and exits with its status, so the
#     agent can start the node again on free ports.
# Usage: python ray-node-guard.py <agent pid> <grace seconds> <temp dir> -- <ray> start --block ...
import ctypes
import os
import shutil
import signal
import subprocess
import sys
import time

PR_SET_PDEATHSIG = 1
PR_SET_CHILD_SUBREAPER = 36

libc = ctypes.CDLL("libc.so.6", use_errno=True)


def processes():
    """(pid, ppid, state) of every process, from /proc/<pid>/stat."""
    found = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        # The command name (field 2) is in parentheses and may hold spaces; state and ppid follow.
        state, ppid = stat[stat.rindex(")") + 2 :].split()[:2]
        found.append((int(name), int(ppid), state))
    return found


def descendants(root):
    """Pids of every live (not zombie) process below `root`."""
    children = {}
    for pid, ppid, state in processes():
        if state != "Z":
            children.setdefault(ppid, []).append(pid)
    found, todo = [], [root]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def reap(keep):
    """Collects our exited children (orphans re-parented to us end as our zombies), except `keep`."""
    me = os.getpid()
    for pid, ppid, state in processes():
        if ppid == me and state == "Z" and pid != keep:
            try:
                os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                pass


def kill_all(keep):
    """SIGKILLs every descendant until none is left (a process may fork while we kill)."""
    for _ in range(100):
        pids = descendants(os.getpid())
        if not pids:
            return
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        time.sleep(0.05)
        reap(keep)


def main():
    agent, grace, temp_dir = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
    command = sys.argv[sys.argv.index("--") + 1 :]
    libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    stopping = []
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, lambda signum, _frame: stopping.append(signum))
    if os.getppid() != agent:  # the agent died before PR_SET_PDEATHSIG took effect
        sys.exit(1)
    # Should the guard itself be SIGKILLed, `ray start` still gets a SIGTERM.
    ray = subprocess.Popen(command, preexec_fn=lambda: libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0))
    while ray.poll() is None and not stopping:
        time.sleep(0.25)
        reap(ray.pid)
    if ray.poll() is None:
        ray.send_signal(signal.SIGTERM)
        try:
            ray.wait(grace)
        except subprocess.TimeoutExpired:
            pass
    kill_all(ray.pid)
    code = ray.wait()
    if stopping:
        shutil.rmtree(temp_dir, ignore_errors=True)
        sys.exit(0)
    sys.exit(code if code > 0 else 128 - code)


main()
