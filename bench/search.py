#!/usr/bin/env python3
"""Ranked search through newsd's control socket beside SQLite's own FTS5 query on the same
catalogue, measured in one run.

usage: search.py NEWSD TREE STATE [--queries N] [--seed S]
  NEWSD  the newsd binary (release build: scripts/install or swift build -c release)
  TREE   a tree already catalogued in STATE (e.g. by `newsd scan --root TREE --state STATE`)

The queries are words of the catalogue's own search index (`fts5vocab`), so both sides look
for the same normalised tokens: the 24 commonest words, and words drawn at random (seeded)
from the rest, alone and in pairs. newsd answers `search` with the first path, copy count,
title and language of each of 20 hits; the peer is the bare ranked query
`SELECT rowid, bm25(search, 3.0, 1.0) AS score … ORDER BY score LIMIT 20`, run with python's
sqlite3 on the catalogue file, read-only.
prints: p50/p99 in ms for each side and query class, and the ratio newsd / FTS5.
"""
import json, os, random, socket, sqlite3, subprocess, sys, time

from daemon import percentile  # the daemon benchmark's (bench/daemon.py)


def timed_searches(sock, reader, db, queries):
    """Each query through newsd's socket (`search`, 20 hits) and as the bare ranked FTS5 query
    on the catalogue `db`, one after the other: (newsd's times, FTS5's times) in ms."""
    ours, floor = [], []
    for n, q in enumerate(queries):
        request = json.dumps({"id": n + 1, "method": "search", "params": {"query": q, "limit": 20}})
        t = time.perf_counter_ns()
        sock.sendall(request.encode() + b"\n")
        reply = reader.readline()
        ours.append((time.perf_counter_ns() - t) / 1e6)
        if b'"error"' in reply[:40]:
            sys.exit(reply.decode(errors="replace"))
        expression = " ".join('"' + w.replace('"', '""') + '"' for w in q.split())
        t = time.perf_counter_ns()
        db.execute("SELECT rowid, bm25(search, 3.0, 1.0) AS score FROM search "
                   "WHERE search MATCH ? ORDER BY score LIMIT 20", (expression,)).fetchall()
        floor.append((time.perf_counter_ns() - t) / 1e6)
    return ours, floor


def main():
    args = sys.argv[1:]
    count, seed = 200, 7
    if "--queries" in args:
        i = args.index("--queries"); count = int(args[i + 1]); del args[i:i + 2]
    if "--seed" in args:
        i = args.index("--seed"); seed = int(args[i + 1]); del args[i:i + 2]
    newsd, tree, state = args
    catalogue = os.path.join(state, "catalog.sqlite")
    db = sqlite3.connect(f"file:{catalogue}?mode=ro", uri=True)
    db.execute("CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, search, row)")
    words = [w for (w,) in db.execute("SELECT term FROM temp.vocab ORDER BY doc DESC")
             if w.isalpha() and len(w) > 1]
    rng = random.Random(seed)
    common = words[:24]
    rest = words[24:]
    queries = {
        "common": [rng.choice(common) for _ in range(count // 4)],
        "any": [rng.choice(rest) for _ in range(count // 4)],
        "two common": [f"{rng.choice(common)} {rng.choice(common)}" for _ in range(count // 4)],
        "two any": [f"{rng.choice(words[:2000])} {rng.choice(rest)}" for _ in range(count // 4)],
    }

    sock_path = os.path.join(state, "newsd.sock")
    daemon = subprocess.Popen([newsd, "run", "--root", tree, "--state", state],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 120
        while True:
            try:
                s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                s.connect(sock_path)
                reader = s.makefile("rb")
                s.sendall(b'{"id":0,"method":"status"}\n')
                if b'"watching"' in reader.readline():
                    break
                s.close()
            except OSError:
                pass
            if time.time() > deadline:
                sys.exit("newsd did not become ready")
            time.sleep(0.2)
        print(f"{len(words)} words in the index; {count // 4} queries per class, seed {seed}")
        print(f"{'class':12} {'newsd p50':>10} {'p99':>8} {'fts5 p50':>10} {'p99':>8} {'p99 ratio':>10}")
        for name, batch in queries.items():
            ours, floor = timed_searches(s, reader, db, batch)
            o50, o99 = percentile(ours, 50), percentile(ours, 99)
            f50, f99 = percentile(floor, 50), percentile(floor, 99)
            print(f"{name:12} {o50:10.1f} {o99:8.1f} {f50:10.1f} {f99:8.1f} {o99 / max(f99, 1e-3):9.2f}x")
    finally:
        daemon.terminate()
        daemon.wait()


if __name__ == "__main__":
    main()
