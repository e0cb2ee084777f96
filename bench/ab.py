#!/usr/bin/env python3
"""A/B of `newsd scan` binaries on one tree, for a machine too noisy for one run each.

Each round runs every binary once, in turn (a cold scan into an empty state directory), so a
slow minute falls on all of them; it prints per binary the medians of wall time, CPU (user +
system), the scan's own `phases` (write, read_wait), the time after the pass (the backfill
and final checkpoint: `seconds` minus the phases) and peak RSS.

usage: bench/ab.py [--tree ../shared/corpus] [--rounds 6] LABEL=BINARY [LABEL=BINARY ...]
   e.g. cp .build/release/newsd /tmp/newsd-before; (change, rebuild)
        bench/ab.py before=/tmp/newsd-before after=.build/release/newsd
A binary may be given environment variables first: LABEL=VAR=1,VAR2=x:BINARY
"""
import argparse, json, os, shutil, statistics, subprocess, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))


def parse(spec):
    label, rest = spec.split("=", 1)
    env = dict(os.environ)
    if ":" in rest:
        assignments, binary = rest.rsplit(":", 1)
        for assignment in filter(None, assignments.split(",")):
            key, value = assignment.split("=", 1)
            env[key] = value
    else:
        binary = rest
    return label, env, os.path.abspath(binary)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tree", default=os.path.join(HERE, "..", "..", "shared", "corpus"))
    ap.add_argument("--rounds", type=int, default=6)
    ap.add_argument("binaries", nargs="+")
    args = ap.parse_args()
    specs = [parse(s) for s in args.binaries]
    results = {label: [] for label, _, _ in specs}
    with tempfile.TemporaryDirectory() as work:
        state = os.path.join(work, "state")
        for _ in range(args.rounds):
            for label, env, binary in specs:
                shutil.rmtree(state, ignore_errors=True)
                t0 = time.monotonic()
                proc = subprocess.Popen([binary, "scan", "--root", args.tree, "--state", state, "--json"],
                                        stdout=subprocess.PIPE, env=env)
                out = proc.stdout.read()
                _, status, usage = os.wait4(proc.pid, 0)
                wall = time.monotonic() - t0
                if os.waitstatus_to_exitcode(status) != 0:
                    raise SystemExit(f"{label}: newsd scan failed")
                summary = json.loads(out)
                phases = summary["phases"]
                results[label].append((wall, usage.ru_utime + usage.ru_stime, phases["write"], phases["read_wait"],
                                       summary["seconds"] - sum(phases.values()), usage.ru_maxrss / 1024))
    for label, rows in results.items():
        med = [statistics.median(column) for column in zip(*rows)]
        print(f"{label:12} wall {med[0]:.2f} s (min {min(r[0] for r in rows):.2f})  cpu {med[1]:.2f} s  "
              f"write {med[2]:.2f}  read_wait {med[3]:.2f}  after the pass {med[4]:.3f}  peak RSS {med[5]:.1f} MiB")


if __name__ == "__main__":
    main()
