#!/usr/bin/env python3
"""Benchmark of the watching daemon, with watchman 4.9 as the side-by-side peer.

Measures, in one run (release build):
  1. change latency: write and close a file -> the change is committed (visible to a reader of
     the catalogue), p50/p99 over N files; next to watchman's write -> subscription latency;
  2. sustained ingest: 2,000 new files per second for 30 s: none lost, the backlog bounded;
  3. warm restart on a copy of the corpus (nothing changed): time to READY=1 against the
     `find` walk; peak RSS after ingesting and watching the corpus, and at 100,000 files.

usage: bench/daemon.py [--corpus ../shared/corpus] [--files 1000] [--rate 2000] [--seconds 30]
                       [--skip-watchman] [--skip-100k]
It installs watchman (Debian) when missing; it never assumes it.
"""
import argparse, json, os, shutil, socket, sqlite3, statistics, subprocess, sys, tempfile, threading, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def sh(*args, **kw):
    return subprocess.run(args, check=True, text=True, capture_output=True, **kw).stdout


def build():
    # The binary scripts/install installs: the Swift runtime and Foundation linked in, which
    # also maps 4-5 MiB less of them than the shared libraries do.
    flags = ["-c", "release", "--static-swift-stdlib"]
    subprocess.run(["swift", "build", *flags, "--product", "newsd"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return os.path.join(sh("swift", "build", *flags, "--show-bin-path", cwd=ROOT).strip(), "newsd")


class Notify:
    """A datagram socket standing in for systemd's $NOTIFY_SOCKET."""

    def __init__(self, path):
        self.path = path
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(path)
        self.messages = []
        self.ready_at = None
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self):
        while True:
            try:
                data = self.sock.recv(65536).decode()
            except OSError:
                return
            self.messages.append(data)
            if "READY=1" in data.split("\n") and self.ready_at is None:
                self.ready_at = time.monotonic()


class Newsd:
    def __init__(self, binary, root, state, work, extra=()):
        self.notify = Notify(os.path.join(work, f"notify-{time.monotonic_ns()}.sock"))
        env = dict(os.environ, NOTIFY_SOCKET=self.notify.path)
        self.log = open(os.path.join(work, "newsd.log"), "a")
        self.started = time.monotonic()
        self.proc = subprocess.Popen([binary, "run", "--root", root, "--state", state, *extra], env=env,
                                     stdout=self.log, stderr=self.log)
        self.db_path = os.path.join(state, "catalog.sqlite")

    def wait_ready(self, timeout=600):
        deadline = time.monotonic() + timeout
        while self.notify.ready_at is None:
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("newsd did not become ready; see its log")
            time.sleep(0.001)
        return self.notify.ready_at - self.started

    def peak_rss_kib(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
        return 0

    def stop(self):
        self.proc.terminate()
        self.proc.wait(30)


def reader(db_path):
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, isolation_level=None, check_same_thread=False)
    return db


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def latency_newsd(binary, work, count):
    tree = os.path.join(work, "lat-tree")
    os.makedirs(tree)
    d = Newsd(binary, tree, os.path.join(work, "lat-state"), work)
    d.wait_ready()
    db = reader(d.db_path)
    latencies = []
    for i in range(count):
        name = f"file-{i}.txt"
        key = name.encode()
        t0 = time.monotonic()
        with open(os.path.join(tree, name), "w") as f:
            f.write(f"article {i}\n")
        while db.execute("select 1 from files where path = ?", (key,)).fetchone() is None:
            if time.monotonic() - t0 > 10:
                raise SystemExit(f"newsd never committed {name}")
        latencies.append((time.monotonic() - t0) * 1000)
    d.stop()
    return latencies


def ensure_watchman():
    if shutil.which("watchman"):
        return True
    apt = ["apt-get", "-o", "APT::Sandbox::User=root"]
    r = subprocess.run(apt + ["update", "-qq"], capture_output=True)
    r = subprocess.run(apt + ["install", "-y", "-qq", "watchman"], capture_output=True,
                       env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))
    return shutil.which("watchman") is not None


def latency_watchman(work, count):
    tree = os.path.join(work, "wm-tree")
    os.makedirs(tree)
    wm = os.path.join(work, "wm")
    os.makedirs(wm)
    sock = os.path.join(wm, "sock")
    server = subprocess.Popen(["watchman", "--foreground", f"--sockname={sock}", f"--statefile={wm}/state",
                               f"--logfile={wm}/log", f"--pidfile={wm}/pid"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    while not os.path.exists(sock):
        if time.monotonic() > deadline:
            raise SystemExit("watchman did not start")
        time.sleep(0.01)
    sh("watchman", "-U", sock, "watch", tree)
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    conn.connect(sock)
    seen = {}
    cond = threading.Condition()

    def pump():
        buf = b""
        while True:
            data = conn.recv(65536)
            if not data:
                return
            buf += data
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                pdu = json.loads(line)
                if pdu.get("subscription") == "sub":
                    now = time.monotonic()
                    with cond:
                        for f in pdu.get("files", []):
                            seen.setdefault(f["name"], now)
                        cond.notify_all()

    threading.Thread(target=pump, daemon=True).start()
    conn.sendall((json.dumps(["subscribe", tree, "sub", {"expression": ["suffix", "txt"],
                                                          "fields": ["name", "exists"]}]) + "\n").encode())
    time.sleep(0.5)  # let the initial subscription result pass: it is not a latency sample
    latencies = []
    for i in range(count):
        name = f"file-{i}.txt"
        t0 = time.monotonic()
        with open(os.path.join(tree, name), "w") as f:
            f.write(f"article {i}\n")
        with cond:
            if not cond.wait_for(lambda: name in seen, timeout=10):
                raise SystemExit(f"watchman never reported {name}")
            latencies.append((seen[name] - t0) * 1000)
    subprocess.run(["watchman", "-U", sock, "watch-del-all"], capture_output=True)
    subprocess.run(["watchman", "-U", sock, "shutdown-server"], capture_output=True)
    server.wait(20)
    return latencies


def sustained(binary, work, rate, seconds):
    tree = os.path.join(work, "sus-tree")
    dirs = [os.path.join(tree, f"d{i:02d}") for i in range(50)]
    for d in dirs:
        os.makedirs(d)
    daemon = Newsd(binary, tree, os.path.join(work, "sus-state"), work)
    daemon.wait_ready()
    db = reader(daemon.db_path)
    written = 0
    backlog = []
    stop = threading.Event()

    def sample():
        while not stop.is_set():
            n = db.execute("select count(*) from files").fetchone()[0]
            backlog.append(written - n)
            time.sleep(0.25)

    sampler = threading.Thread(target=sample)
    sampler.start()
    start = time.monotonic()
    total = rate * seconds
    while written < total:
        due = int((time.monotonic() - start) * rate) + 1
        while written < min(due, total):
            with open(os.path.join(dirs[written % 50], f"f{written}.txt"), "w") as f:
                f.write(f"sustained {written}\n")
            written += 1
        time.sleep(0.001)
    write_seconds = time.monotonic() - start
    stop.set()
    sampler.join()
    t_end = time.monotonic()
    db2 = reader(daemon.db_path)
    while db2.execute("select count(*) from files").fetchone()[0] < total:
        if time.monotonic() - t_end > 120:
            break
        time.sleep(0.01)
    drained = time.monotonic() - t_end
    catalogued = db2.execute("select count(*) from files").fetchone()[0]
    rss = daemon.peak_rss_kib()
    daemon.stop()
    return dict(written=total, write_seconds=write_seconds, catalogued=catalogued, max_backlog=max(backlog),
                drain_seconds=drained, peak_rss_mib=rss / 1024)


def best(n, cmd):
    t = []
    for _ in range(n):
        t0 = time.monotonic()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        t.append(time.monotonic() - t0)
    return min(t)


def restart_and_rss(binary, work, corpus, with_100k):
    tree = os.path.join(work, "corpus-tree")
    shutil.copytree(corpus, tree)
    state = os.path.join(work, "corpus-state")
    cold = Newsd(binary, tree, state, work)
    cold_ready = cold.wait_ready()
    time.sleep(1)
    cold_rss = cold.peak_rss_kib()
    cold.stop()
    warm_times = []
    warm_rss = 0
    for _ in range(3):
        warm = Newsd(binary, tree, state, work)
        warm_times.append(warm.wait_ready())
        warm_rss = max(warm_rss, warm.peak_rss_kib())
        warm.stop()
    find = best(3, ["find", tree, "-printf", "%s %T@ %C@ %i %p\n"])
    result = dict(files=sum(len(f) for _, _, f in os.walk(tree)), cold_ready=cold_ready, warm_ready=min(warm_times),
                  find=find, peak_rss_mib=max(cold_rss, warm_rss) / 1024)
    if with_100k:
        big = os.path.join(work, "big-tree")
        os.makedirs(big)
        n = 0
        copy = 0
        while n < 100_000:
            for dirpath, _, files in os.walk(corpus):
                rel = os.path.relpath(dirpath, corpus)
                for f in files:
                    if n >= 100_000:
                        break
                    dst = os.path.join(big, f"copy{copy}", rel)
                    os.makedirs(dst, exist_ok=True)
                    # A distinct first line keeps every copy a distinct article.
                    with open(os.path.join(dirpath, f), "rb") as src, open(os.path.join(dst, f), "wb") as out:
                        out.write(f"copy {copy}\n".encode() + src.read())
                    n += 1
            copy += 1
        d = Newsd(binary, big, os.path.join(work, "big-state"), work)
        result["big_ready"] = d.wait_ready(1800)
        time.sleep(1)
        result["big_files"] = n
        result["big_peak_rss_mib"] = d.peak_rss_kib() / 1024
        d.stop()
    return result


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=os.path.join(ROOT, "..", "shared", "corpus"))
    ap.add_argument("--files", type=int, default=1000)
    ap.add_argument("--rate", type=int, default=2000)
    ap.add_argument("--seconds", type=int, default=30)
    ap.add_argument("--skip-watchman", action="store_true")
    ap.add_argument("--skip-100k", action="store_true")
    args = ap.parse_args()
    binary = build()
    work = tempfile.mkdtemp(prefix="newsd-bench-")
    try:
        print(f"machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}")
        lat = latency_newsd(binary, work, args.files)
        print(f"latency newsd    (write+close -> committed, {len(lat)} files): "
              f"p50 {percentile(lat, 50):.1f} ms  p99 {percentile(lat, 99):.1f} ms  max {max(lat):.1f} ms")
        if not args.skip_watchman and ensure_watchman():
            wm = latency_watchman(work, args.files)
            print(f"latency watchman (write+close -> subscription, {len(wm)} files): "
                  f"p50 {percentile(wm, 50):.1f} ms  p99 {percentile(wm, 99):.1f} ms  max {max(wm):.1f} ms")
            print(f"  ratio p99 newsd/watchman: {percentile(lat, 99) / percentile(wm, 99):.2f}  (target <= 1)")
        else:
            print("watchman: not available, skipped")
        s = sustained(binary, work, args.rate, args.seconds)
        print(f"sustained: {s['written']} files at {args.rate}/s in {s['write_seconds']:.1f} s; catalogued "
              f"{s['catalogued']} ({s['written'] - s['catalogued']} lost); max backlog {s['max_backlog']} files; "
              f"drained {s['drain_seconds']:.2f} s after the last write; peak RSS {s['peak_rss_mib']:.1f} MiB")
        if os.path.isdir(args.corpus):
            r = restart_and_rss(binary, work, args.corpus, not args.skip_100k)
            print(f"corpus copy: {r['files']} files; cold start to READY {r['cold_ready']:.2f} s; warm restart to "
                  f"READY {r['warm_ready']:.3f} s = {r['warm_ready'] / r['find']:.2f}x the find walk "
                  f"({r['find']:.3f} s; target <= 3x)")
            print(f"peak RSS after ingesting and watching the corpus: {r['peak_rss_mib']:.1f} MiB (target <= 48)")
            if "big_files" in r:
                print(f"{r['big_files']} files: ready in {r['big_ready']:.1f} s, peak RSS {r['big_peak_rss_mib']:.1f} MiB "
                      f"= {r['big_peak_rss_mib'] / r['peak_rss_mib']:.2f}x the corpus's (target < 1.20)")
        else:
            print(f"corpus not found at {args.corpus}: restart and RSS figures skipped")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
