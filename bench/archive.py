#!/usr/bin/env python3
"""newsd on synthetic archives past the corpus, with SQLite's FTS5 as the peer in the same run.

For each size (default 16,000 and 256,000 articles, made by bench/synthetic_archive.py from the
corpus, deterministically):
  1. cold `newsd scan` into an empty state directory: seconds, per article, peak RSS; beside
     SQLite's own FTS5 insert of the same texts (../shared/bench/fts5_floor.py);
  2. 2,000 new articles (generated with the archive, kept aside) moved in, `newsd scan`: per
     article, and of it the walk of the whole tree (beside `find` stating the same tree) and the
     writer's time: the median of --incremental-rounds (3) passes, each on a copy of step 1's
     catalogue;
  3. `newsd run` warm start on the catalogue: seconds to READY=1 and peak RSS (VmHWM) once ready
     and its idle work (search-index merging) done;
  4. 2,000 more new articles moved into the watched archive at once (one directory renamed in)
     -> `sync` answers: the daemon's incremental ingest, which walks only what arrived;
  5. one new article at a time written into the watched archive -> committed (visible to a
     reader of the catalogue), p50/p99 over --articles: right after step 4 (while the daemon
     still checkpoints the WAL and tidies after the 2,000), then as many more once its CPU time
     has been flat for 2 s;
  6. ranked search through the socket beside the bare FTS5 query (bench/search.py's method).
prints: a table per size, then the ratios of the largest size to the smallest.

usage: bench/archive.py [--corpus ../shared/corpus] [--sizes 16000,256000] [--work DIR]
                        [--articles 100] [--incremental-rounds 3] [--newsd .build/release/newsd]
Disk: about 2.6 KB of text and 9 KB of catalogue per article, twice during step 2 (256,000:
~4.5 GB in --work).
"""
import argparse, json, os, random, shutil, socket, sqlite3, statistics, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SHARED_BENCH = os.path.join(ROOT, "..", "shared", "bench")
sys.path.insert(0, HERE)
from daemon import Newsd, percentile, reader  # noqa: E402
from ingest import timed  # noqa: E402
from search import timed_searches  # noqa: E402
from web import wait_idle  # noqa: E402


def generate(corpus, directory, count):
    subprocess.run([sys.executable, os.path.join(HERE, "synthetic_archive.py"), corpus, directory, str(count)],
                   check=True, stdout=subprocess.DEVNULL)


def settle_disk(path, quiet_s=0.5, timeout_s=120):
    """Until the disk under `path` has had nothing in flight for `quiet_s`. On a filesystem
    mounted with `discard`, deleting a large file (a catalogue copy, the FTS5 floor's scratch
    database) trims its blocks in the journal's commits, and every file created or grown on
    that filesystem waits for them (step 5 run on its own at 256,000 articles, with a deleted
    1.6 GB catalogue copy's blocks being trimmed: a new article's write and commit took
    0.7-3.4 s at random). Returns the seconds waited."""
    os.sync()
    dev = os.stat(path).st_dev
    stat = f"/sys/dev/block/{os.major(dev)}:{os.minor(dev)}/stat"
    if not os.path.exists(stat):
        return 0.0
    start = time.monotonic()
    # Field 9 is the requests in flight, field 10 the milliseconds the disk was busy.
    fields = lambda: open(stat).read().split()
    last, since = fields(), time.monotonic()
    while time.monotonic() - start < timeout_s:
        time.sleep(0.05)
        now = fields()
        if now[8] != "0" or now[9] != last[9]:
            last, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet_s:
            break
    return time.monotonic() - start


def socket_ready(path, timeout=600):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.connect(path)
            return s, s.makefile("rb")
        except OSError:
            time.sleep(0.05)
    raise SystemExit("the control socket never answered")


def call(s, reader_file, method, params=None, ident=[0]):
    ident[0] += 1
    s.sendall(json.dumps({"id": ident[0], "method": method, "params": params or {}}).encode() + b"\n")
    return json.loads(reader_file.readline())


def search_latency(s, rf, db_path, count, seed=7):
    """Half the commonest words, a quarter pairs, a quarter rarer words: (newsd ms, FTS5 ms)."""
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    db.execute("CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, search, row)")
    words = [w for (w,) in db.execute("SELECT term FROM temp.vocab ORDER BY doc DESC LIMIT 20000")
             if w.isalpha() and len(w) > 1]
    rng = random.Random(seed)
    queries = [rng.choice(words[:24]) for _ in range(count // 2)]
    queries += [f"{rng.choice(words[:24])} {rng.choice(words[24:])}" for _ in range(count // 4)]
    queries += [rng.choice(words[24:]) for _ in range(count // 4)]
    ours, floor = timed_searches(s, rf, db, queries)
    return ours, floor


def measure(args, size):
    work = os.path.join(args.work, str(size))
    os.makedirs(work, exist_ok=True)
    everything = os.path.join(work, "generated")
    tree, extra, single = os.path.join(work, "tree"), os.path.join(work, "new"), os.path.join(work, "single")
    for d in (everything, tree, extra, single):
        shutil.rmtree(d, ignore_errors=True)
    watched = os.path.join(work, "watched")
    shutil.rmtree(watched, ignore_errors=True)
    generate(args.corpus, everything, size + 4000 + 2 * args.articles)
    for d in (tree, extra, watched, single):
        os.makedirs(d)
    # Directories of 1,000 articles: the first `size` go to the tree, the next 2,000 aside for
    # step 2, 2,000 more for step 4, the rest are the single articles of step 5.
    for n, name in enumerate(sorted(os.listdir(everything))):
        k = n - size // 1000
        target = tree if k < 0 else extra if k < 2 else watched if k < 4 else single
        os.rename(os.path.join(everything, name), os.path.join(target, name))
    state = os.path.join(work, "state")
    shutil.rmtree(state, ignore_errors=True)
    r = {"size": size}
    settle_disk(work)
    r["cold_s"], r["cold_rss_kib"], _ = timed([args.newsd, "scan", "--root", tree, "--state", state, "--json"])
    r["fts5_s"] = float(subprocess.run([sys.executable, os.path.join(SHARED_BENCH, "fts5_floor.py"), tree],
                                       check=True, capture_output=True, text=True).stdout.split("total ")[1]
                        .split(" s")[0])
    # One pass of 2,000 new articles swings by a quarter with what ran just before it on this
    # machine, so it runs --incremental-rounds times, each from a copy of the cold scan's
    # catalogue, and each figure is the median; the last round's catalogue goes on.
    cold_state = state + "-cold"
    os.rename(state, cold_state)
    rounds = {"inc_s": [], "inc_walk_s": [], "inc_write_s": [], "find_s": []}
    for n in range(args.incremental_rounds):
        shutil.rmtree(state, ignore_errors=True)
        subprocess.run(["cp", "-a", cold_state, state], check=True)
        settle_disk(work)
        os.rename(extra, os.path.join(tree, "zz-new"))
        seconds, _, out = timed([args.newsd, "scan", "--root", tree, "--state", state, "--json"])
        # The pass's own account: the walk of the whole tree (a full pass looks at every file) and
        # the writer's time for the 2,000 it read.
        phases = json.loads(out)["phases"]
        rounds["inc_s"].append(seconds)
        rounds["inc_walk_s"].append(phases["walk"] + phases["load"])
        rounds["inc_write_s"].append(phases["write"])
        # The peer of that walk: find, made to stat every file as the walk does (size and mtime).
        rounds["find_s"].append(timed(["find", tree, "-printf", "%s %T@\n"])[0])
        if n + 1 < args.incremental_rounds:
            os.rename(os.path.join(tree, "zz-new"), extra)
    for key, values in rounds.items():
        r[key] = statistics.median(values)
    r["inc_write_range"] = (min(rounds["inc_write_s"]), max(rounds["inc_write_s"]))
    # The copy goes now, and the disk settles, so its trim does not land on the steps below.
    shutil.rmtree(cold_state)
    settle_disk(work)
    d = Newsd(args.newsd, tree, state, work)
    r["ready_s"] = d.wait_ready()
    s, rf = socket_ready(os.path.join(state, "newsd.sock"))
    # The idle work a start schedules (merging the search index) is part of what it holds.
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        status = call(s, rf, "status")["result"]
        if status["state"] == "watching" and status.get("queue", 0) == 0 and not status.get("backfill_remaining"):
            break
        time.sleep(0.2)
    time.sleep(3)
    r["warm_rss_kib"] = d.peak_rss_kib()
    t0 = time.monotonic()
    os.rename(watched, os.path.join(tree, "zz-watched"))
    reply = call(s, rf, "sync")
    r["watched_s"] = time.monotonic() - t0
    if "error" in reply:
        raise SystemExit(f"sync failed: {reply['error']}")
    db = reader(d.db_path)
    sources = sorted(os.path.join(rt, f) for rt, _, fs in os.walk(single) for f in fs)[:2 * args.articles]
    os.makedirs(os.path.join(tree, "incoming"))

    def new_articles(batch):
        latencies = []
        for source in batch:
            name = f"incoming/{os.path.basename(source)}"
            with open(source, "rb") as f:
                data = f.read()
            t0 = time.monotonic()
            with open(os.path.join(tree, name), "wb") as f:
                f.write(data)
            while db.execute("SELECT 1 FROM files WHERE path = ?", (name.encode(),)).fetchone() is None:
                if time.monotonic() - t0 > 20:
                    raise SystemExit(f"newsd never committed {name}")
            latencies.append((time.monotonic() - t0) * 1000)
        return percentile(latencies, 50), percentile(latencies, 99)

    r["new_p50"], r["new_p99"] = new_articles(sources[:args.articles])
    wait_idle(d.proc.pid)
    r["idle_new_p50"], r["idle_new_p99"] = new_articles(sources[args.articles:])
    ours, floor = search_latency(s, rf, d.db_path, args.queries)
    r["search_p50"], r["search_p99"] = percentile(ours, 50), percentile(ours, 99)
    r["fts5_p50"], r["fts5_p99"] = percentile(floor, 50), percentile(floor, 99)
    r["peak_rss_kib"] = d.peak_rss_kib()
    d.stop()
    return r


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default=os.path.join(ROOT, "..", "shared", "corpus"))
    ap.add_argument("--sizes", default="16000,256000")
    ap.add_argument("--work", default="/tmp/newsd-archive-bench")
    ap.add_argument("--articles", type=int, default=100)
    ap.add_argument("--queries", type=int, default=100)
    ap.add_argument("--incremental-rounds", type=int, default=3)
    ap.add_argument("--newsd", default=os.path.join(ROOT, ".build", "release", "newsd"))
    args = ap.parse_args()
    if not os.path.isdir(args.corpus):
        raise SystemExit(f"the corpus is not at {args.corpus} (give --corpus)")
    results = []
    for size in [int(x) for x in args.sizes.split(",")]:
        r = measure(args, size)
        results.append(r)
        print(f"{size} articles:")
        print(f"  cold newsd scan {r['cold_s']:.1f} s ({r['cold_s'] / size * 1000:.2f} ms/article, peak "
              f"{r['cold_rss_kib'] // 1024} MiB); FTS5 insert floor {r['fts5_s']:.1f} s "
              f"({r['cold_s'] / r['fts5_s']:.2f}x)")
        print(f"  2,000 new articles: {r['inc_s']:.2f} s ({r['inc_s'] / 2000 * 1000:.2f} ms/article); of it the "
              f"walk of the whole tree {r['inc_walk_s']:.2f} s (find, stating every file: {r['find_s']:.2f} s), "
              f"the writer {r['inc_write_s']:.2f} s ({r['inc_write_s'] / 2000 * 1000:.2f} ms/article; "
              f"{r['inc_write_range'][0]:.2f}-{r['inc_write_range'][1]:.2f} s over the rounds), "
              f"median of {args.incremental_rounds} rounds")
        print(f"  2,000 new articles moved into the watched archive -> sync: {r['watched_s']:.2f} s "
              f"({r['watched_s'] / 2000 * 1000:.2f} ms/article)")
        print(f"  warm start: READY in {r['ready_s']:.2f} s, peak RSS {r['warm_rss_kib'] // 1024} MiB once idle, "
              f"{r['peak_rss_kib'] // 1024} MiB after the steps below")
        print(f"  new article -> committed: p50 {r['new_p50']:.1f} ms, p99 {r['new_p99']:.1f} ms right after the "
              f"2,000; p50 {r['idle_new_p50']:.1f} ms, p99 {r['idle_new_p99']:.1f} ms with the daemon idle "
              f"(n={args.articles} each)")
        print(f"  search: newsd p50 {r['search_p50']:.1f} ms, p99 {r['search_p99']:.1f} ms; FTS5 ranked query "
              f"p50 {r['fts5_p50']:.1f} ms, p99 {r['fts5_p99']:.1f} ms (n={args.queries})", flush=True)
    if len(results) > 1:
        a, b = results[0], results[-1]
        per = lambda r, k, n: r[k] / n
        cold = per(b, 'cold_s', b['size']) / per(a, 'cold_s', a['size'])
        floor = per(b, 'fts5_s', b['size']) / per(a, 'fts5_s', a['size'])
        # The sizes run one after another, and this machine's speed drifts over a run: the FTS5
        # insert's own growth, measured beside newsd's at each size, says how much of it is the drift.
        print(f"{b['size']} against {a['size']}: cold per article "
              f"{cold:.2f}x (target <= 1.5x; SQLite's FTS5 insert alone {floor:.2f}x in this run, newsd's over it "
              f"{cold / floor:.2f}x), "
              f"incremental per article {b['inc_s'] / a['inc_s']:.2f}x (target <= 1.5x; without the walk of the "
              f"whole tree {(b['inc_s'] - b['inc_walk_s']) / (a['inc_s'] - a['inc_walk_s']):.2f}x; the writer's alone "
              f"{b['inc_write_s'] / a['inc_write_s']:.2f}x; the daemon's watched ingest "
              f"{b['watched_s'] / a['watched_s']:.2f}x), "
              f"warm peak RSS {b['warm_rss_kib'] / a['warm_rss_kib']:.2f}x (target <= 1.25x)")


if __name__ == "__main__":
    main()
