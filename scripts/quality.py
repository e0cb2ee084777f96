#!/usr/bin/env python3
"""Near-duplicate quality of the real daemon on a labelled set, next to datasketch.

1. builds a labelled tree from the corpus (scripts/build_labelled_set.py: exact copies,
   normalisation-only variants of every kind, near variants, the corpus's own same-body
   pairs, hundreds of unrelated same-outlet articles), with truth.tsv;
2. runs the release `newsd run` on it, waits for READY=1 and for the background re-analysis
   (corpus-chrome verdicts) to finish, and reads every file's `cluster`
   and `norm` with `newsctl ls --json`;
3. runs datasketch's MinHashLSH peer (../shared/bench/peer_datasketch.py: 128 permutations,
   word 5-grams, threshold 0.8) over the same tree, in the same run;
4. prints pairwise precision and recall of both, and checks that every normalisation-only
   variant shares its original's `norm`.

usage: scripts/quality.py [--corpus ../shared/corpus] [--seed 7] [--bases-per-language 40]
                          [--singles 600] [--keep DIR]
Targets: precision >= 0.999, recall >= 0.99; datasketch reaches about 1.000 / 0.83.
"""
import argparse, itertools, json, os, shutil, socket, subprocess, sys, tempfile, threading, time
from collections import Counter, defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def pairs(assign, files):
    groups = defaultdict(list)
    for f in files:
        groups[assign[f]].append(f)
    return {tuple(sorted(p)) for members in groups.values() for p in itertools.combinations(members, 2)}


def score(truth, predicted):
    files = sorted(truth)
    true_pairs, pred_pairs = pairs(truth, files), pairs(predicted, files)
    tp = len(true_pairs & pred_pairs)
    precision = tp / len(pred_pairs) if pred_pairs else 1.0
    recall = tp / len(true_pairs) if true_pairs else 1.0
    return precision, recall, tp, len(pred_pairs), len(true_pairs), true_pairs - pred_pairs, pred_pairs - true_pairs


def kind(name):
    parts = name.rsplit(".", 1)[0].split("_", 1)
    return parts[1] if len(parts) > 1 and not parts[0].startswith("pair") else "corpus-pair"


def run_newsd(tree, work):
    # The build scripts/install and the benchmarks make (a static standard library), so that
    # running one after another does not rebuild the whole release configuration.
    flags = ["-c", "release", "--static-swift-stdlib"]
    for product in ("newsd", "newsctl"):
        subprocess.run(["swift", "build", *flags, "--product", product], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
    bin_dir = subprocess.run(["swift", "build", *flags, "--show-bin-path"], cwd=ROOT, check=True,
                             capture_output=True, text=True).stdout.strip()
    notify_path = os.path.join(work, "notify.sock")
    notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    notify.bind(notify_path)
    ready = threading.Event()

    def listen():
        while True:
            try:
                if "READY=1" in notify.recv(65536).decode().split("\n"):
                    ready.set()
            except OSError:
                return

    threading.Thread(target=listen, daemon=True).start()
    sock = os.path.join(work, "newsd.sock")
    t0 = time.time()
    daemon = subprocess.Popen([os.path.join(bin_dir, "newsd"), "run", "--root", tree, "--state",
                               os.path.join(work, "state"), "--socket", sock],
                              env=dict(os.environ, NOTIFY_SOCKET=notify_path),
                              stdout=open(os.path.join(work, "newsd.log"), "w"), stderr=subprocess.STDOUT)
    try:
        if not ready.wait(600):
            raise SystemExit("newsd did not become ready; see " + os.path.join(work, "newsd.log"))
        seconds = time.time() - t0
        # Texts analysed again after a corpus-chrome verdict changed settle in the background:
        # score the clusters once that backfill has nothing left.
        deadline = time.time() + 600
        while True:
            status = json.loads(subprocess.run([os.path.join(bin_dir, "newsctl"), "--socket", sock, "status",
                                                "--json"], check=True, capture_output=True, text=True).stdout)
            if not status.get("backfill_remaining") or time.time() > deadline:
                break
            time.sleep(0.05)
        out = subprocess.run([os.path.join(bin_dir, "newsctl"), "--socket", sock, "ls", "--json"], check=True,
                             capture_output=True, text=True).stdout
        rows = [json.loads(line) for line in out.splitlines() if line.strip()]
        return {r["path"]: r for r in rows}, seconds
    finally:
        daemon.terminate()
        daemon.wait(30)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=os.path.join(ROOT, "..", "shared", "corpus"))
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--bases-per-language", type=int, default=40)
    ap.add_argument("--singles", type=int, default=600)
    ap.add_argument("--keep")
    a = ap.parse_args()
    if not os.path.isdir(a.corpus):
        raise SystemExit(f"corpus not found at {a.corpus}: nothing to measure")
    work = a.keep or tempfile.mkdtemp(prefix="newsd-quality-")
    os.makedirs(work, exist_ok=True)
    tree = os.path.join(work, "set")
    try:
        shutil.rmtree(tree, ignore_errors=True)
        subprocess.run([sys.executable, os.path.join(HERE, "build_labelled_set.py"), "--corpus", a.corpus,
                        "--out", tree, "--seed", str(a.seed), "--bases-per-language", str(a.bases_per_language),
                        "--singles", str(a.singles)], check=True, stdout=subprocess.DEVNULL)
        truth = {}
        with open(os.path.join(tree, "truth.tsv"), encoding="utf-8") as f:
            next(f)
            for line in f:
                path, group = line.rstrip("\n").split("\t")
                truth[path] = group

        rows, seconds = run_newsd(tree, work)
        missing = [p for p in truth if p not in rows]
        if missing:
            raise SystemExit(f"{len(missing)} labelled files are not in the catalogue, e.g. {missing[:3]}")
        newsd = {p: rows[p]["cluster"] or p for p in truth}
        p, r, tp, npred, ntrue, missed, wrong = score(truth, newsd)
        print(f"labelled set: {len(truth)} files, {len(set(truth.values()))} true groups, {ntrue} true pairs")
        print(f"newsd      : precision {p:.4f} ({tp}/{npred})  recall {r:.4f} ({tp}/{ntrue})  "
              f"[ready in {seconds:.1f} s]")
        if missed:
            print("  missed pairs by kind:", dict(Counter(tuple(sorted((kind(x), kind(y)))) for x, y in missed).most_common(8)))
        for x, y in sorted(wrong)[:5]:
            print("  wrong pair:", x, y)

        # Every normalisation-only variant shares its original's normalised key.
        norm_bad = []
        norm_total = 0
        for path in truth:
            if "_norm_" in path:
                norm_total += 1
                base = path.split("_norm_")[0] + "_base.txt"
                if rows[path]["norm"] != rows[base]["norm"]:
                    norm_bad.append(path)
        print(f"normalisation-only variants sharing their original's norm: {norm_total - len(norm_bad)}/{norm_total}"
              + (f"  (differ: {norm_bad[:5]})" if norm_bad else ""))

        peer = os.path.join(ROOT, "..", "shared", "bench", "peer_datasketch.py")
        try:
            import datasketch  # noqa: F401
        except ImportError:
            subprocess.run([sys.executable, "-m", "pip", "install", "-q", "datasketch"], check=False)
        assign_path = os.path.join(work, "datasketch.json")
        t0 = time.time()
        out = subprocess.run([sys.executable, peer, tree, "--out", assign_path], capture_output=True, text=True)
        if out.returncode != 0:
            print("datasketch peer failed:", out.stderr.strip()[-300:])
            return
        assign = json.load(open(assign_path))
        p2, r2, tp2, npred2, _, _, _ = score(truth, {f: assign.get(f, f) for f in truth})
        print(f"datasketch : precision {p2:.4f} ({tp2}/{npred2})  recall {r2:.4f} ({tp2}/{ntrue})  "
              f"[{time.time() - t0:.1f} s]")
    finally:
        if not a.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
