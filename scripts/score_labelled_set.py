#!/usr/bin/env python3
"""Score near-duplicate clustering on a labelled set (see build_labelled_set.py).

Runs `analysis-probe cluster` (analysis, exact and normalised keys, LSH candidates,
NearDuplicate.verify, Clusterer) over every file of the set and prints pairwise
precision and recall against truth.tsv, with the missed and wrong pairs by kind.

usage: scripts/score_labelled_set.py --set DIR [--probe .build/release/analysis-probe]
                                     [--bands 42 --rows 3] [--show 10]
"""
import argparse
import itertools
import json
import os
import subprocess
from collections import Counter, defaultdict


def pairs_of(groups):
    out = set()
    for members in groups.values():
        for a, b in itertools.combinations(sorted(members), 2):
            out.add((a, b))
    return out


def kind(name):
    parts = name.split("_", 1)
    return parts[1].rsplit(".", 1)[0] if len(parts) > 1 and not parts[0].startswith(("pair", "single")) else parts[0][:4]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("--set", required=True)
    ap.add_argument("--probe", default=os.path.join(here, "../.build/release/analysis-probe"))
    ap.add_argument("--bands", type=int)
    ap.add_argument("--rows", type=int)
    ap.add_argument("--show", type=int, default=10)
    a = ap.parse_args()

    truth = {}
    with open(os.path.join(a.set, "truth.tsv"), encoding="utf-8") as f:
        next(f)
        for line in f:
            path, group = line.rstrip("\n").split("\t")
            truth[path] = group
    files = [os.path.join(a.set, p) for p in truth]
    cmd = [a.probe, "cluster"]
    if a.bands:
        cmd += ["--bands", str(a.bands)]
    if a.rows:
        cmd += ["--rows", str(a.rows)]
    out = subprocess.run(cmd + ["-"], input="\n".join(files) + "\n", capture_output=True, text=True, check=True)
    result = json.loads(out.stdout)
    predicted = {os.path.relpath(p, a.set): c for p, c in result["assign"].items()}

    true_groups, pred_groups = defaultdict(list), defaultdict(list)
    for p, g in truth.items():
        true_groups[g].append(p)
        pred_groups[predicted[p]].append(p)
    true_pairs, pred_pairs = pairs_of(true_groups), pairs_of(pred_groups)
    tp = len(true_pairs & pred_pairs)
    precision = tp / len(pred_pairs) if pred_pairs else 1.0
    recall = tp / len(true_pairs) if true_pairs else 1.0

    missed = Counter()
    for x, y in sorted(true_pairs - pred_pairs):
        missed[tuple(sorted((kind(x), kind(y))))] += 1
    wrong = sorted(pred_pairs - true_pairs)
    print(f"files {len(truth)}, true groups {len(true_groups)}, predicted clusters {len(pred_groups)}")
    print(f"banding {result['bands']} x {result['rows']}: {result['candidates']} candidate pairs, "
          f"{result['verifiedNear']} verified near edges, {result['exactEdges']} exact, "
          f"{result['normalizedEdges']} normalised")
    print(f"analysis {result['analyzeSeconds']:.2f} s, dedup {result['dedupSeconds']:.2f} s")
    print(f"pairwise precision {precision:.4f} ({tp}/{len(pred_pairs)}), recall {recall:.4f} ({tp}/{len(true_pairs)})")
    if missed:
        print("missed pairs by kind:", dict(missed.most_common(a.show)))
    for x, y in wrong[:a.show]:
        print("wrong pair:", x, y)


if __name__ == "__main__":
    main()
