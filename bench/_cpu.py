"""CPU time by kind of process during a load run (bench/run load).

``_cpu.py snapshot FILE`` writes, for every process of the machine, its
command line and CPU seconds (user + system, its own and, for the two
process reapers that matter here, Odoo's master and PostgreSQL's postmaster,
those of the children it has reaped); ``_cpu.py diff BEFORE AFTER`` prints
the CPU seconds each kind of process used in between: Odoo's HTTP workers,
its cron worker, its master, PostgreSQL, locust and the rest of the machine.
No Odoo import: it runs with any python.
"""

import json
import os
import sys

TICK = os.sysconf("SC_CLK_TCK")


def _kind(cmd):
    if cmd.startswith("odoo: WorkerHTTP"):
        return "odoo http workers"
    if cmd.startswith("odoo: WorkerCron"):
        return "odoo cron worker"
    if cmd.startswith("odoo: "):
        return "odoo other"
    if "bin/odoo" in cmd:
        return "odoo master"
    if cmd.startswith("postgres"):
        return "postgresql"
    if "locust" in cmd:
        return "locust"
    return "other"


def snapshot():
    procs = {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmd = f.read().replace(b"\0", b" ").decode(errors="replace").strip()
        except OSError:
            continue
        # fields[11:15]: utime, stime, cutime, cstime (after pid and comm).
        utime, stime, cutime, cstime = (int(x) for x in fields[11:15])
        kind = _kind(cmd)
        own = utime + stime
        reaped = cutime + cstime if kind in ("odoo master", "postgresql") else 0
        procs[pid] = [kind, (own + reaped) / TICK]
    return procs


def diff(before, after):
    used = {}
    for pid, (kind, secs) in after.items():
        start = before.get(pid, [kind, 0.0])[1]
        used[kind] = used.get(kind, 0.0) + max(secs - start, 0.0)
    return used


def main():
    if sys.argv[1] == "snapshot":
        with open(sys.argv[2], "w") as f:
            json.dump(snapshot(), f)
    elif sys.argv[1] == "diff":
        with open(sys.argv[2]) as f:
            before = json.load(f)
        with open(sys.argv[3]) as f:
            after = json.load(f)
        json.dump(diff(before, after), sys.stdout, sort_keys=True)
        print()


if __name__ == "__main__":
    main()
