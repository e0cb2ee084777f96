#!/usr/bin/env python3
"""Language agreement of newsd's analysis with lingua (restricted to ar/fa/sw/en).

Runs `analysis-probe analyze` over every corpus file and lingua over the same bodies and
titles, then prints the agreement. Bodies: lines 3.. of ar/fa/en files (line 1 is the
title), the whole file for sw. Titles: line 1 of ar/fa/en files. Our body answer is the
document language of TextAnalyzer.analyze (whole text); our title answer is
LanguageDetector.detect on line 1 alone. An "und" from us counts as a disagreement.

usage: scripts/lang_agreement.py [--corpus ../shared/corpus] [--probe .build/release/analysis-probe]
                                 [--cache lingua.json] [--show 20]
needs: pip install lingua-language-detector  (models ship inside the wheel; works offline)
"""
import argparse
import json
import os
import subprocess
import sys
import time
from collections import Counter

LANGS = ["ar", "fa", "sw", "en"]


def corpus_files(root):
    files = []
    for lang in LANGS:
        folder = os.path.join(root, lang)
        for name in sorted(os.listdir(folder)):
            if name.endswith(".txt"):
                files.append(os.path.join(folder, name))
    return files


def split_title(path, text):
    lang = os.path.basename(os.path.dirname(path))
    lines = text.split("\n")
    if lang == "sw":
        return None, text
    return lines[0], "\n".join(lines[2:])


def run_lingua(files):
    from lingua import Language, LanguageDetectorBuilder

    code = {Language.ARABIC: "ar", Language.PERSIAN: "fa", Language.SWAHILI: "sw", Language.ENGLISH: "en"}
    detector = LanguageDetectorBuilder.from_languages(*code.keys()).build()
    bodies, titles = [], []
    for path in files:
        title, body = split_title(path, open(path, encoding="utf-8").read())
        bodies.append(body)
        titles.append(title)
    body_langs = detector.detect_languages_in_parallel_of(bodies)
    title_langs = detector.detect_languages_in_parallel_of([t or "" for t in titles])
    out = {}
    for path, b, t, title in zip(files, body_langs, title_langs, titles):
        out[os.path.relpath(path)] = {
            "body": code.get(b, "und"),
            "title": code.get(t, "und") if title is not None else None,
        }
    return out


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=os.path.join(here, "../../shared/corpus"))
    ap.add_argument("--probe", default=os.path.join(here, "../.build/release/analysis-probe"))
    ap.add_argument("--cache", help="JSON file to keep lingua's answers between runs")
    ap.add_argument("--show", type=int, default=10, help="disagreements to print per kind")
    args = ap.parse_args()

    files = corpus_files(args.corpus)
    t0 = time.time()
    if args.cache and os.path.exists(args.cache):
        lingua = json.load(open(args.cache))
    else:
        lingua = run_lingua(files)
        if args.cache:
            json.dump(lingua, open(args.cache, "w"))
    t1 = time.time()
    proc = subprocess.run([args.probe, "analyze", "-"], input="\n".join(files) + "\n",
                          capture_output=True, text=True, check=True)
    ours = {}
    for line in proc.stdout.splitlines():
        record = json.loads(line)
        ours[os.path.relpath(record["path"])] = record
    t2 = time.time()

    body_agree = body_total = title_agree = title_total = 0
    by_folder = Counter()
    confusion = Counter()
    shown = {"body": 0, "title": 0}
    for path in files:
        key = os.path.relpath(path)
        mine, theirs = ours[key], lingua[key]
        folder = os.path.basename(os.path.dirname(path))
        body_total += 1
        confusion[("body", theirs["body"], mine["lang"])] += 1
        if mine["lang"] == theirs["body"]:
            body_agree += 1
            by_folder[folder] += 1
        elif shown["body"] < args.show:
            shown["body"] += 1
            print(f"body  {key}: lingua={theirs['body']} ours={mine['lang']} ({mine['conf']:.2f})")
        if theirs["title"] is not None:
            title_total += 1
            confusion[("title", theirs["title"], mine["line1Lang"])] += 1
            if mine["line1Lang"] == theirs["title"]:
                title_agree += 1
            elif shown["title"] < args.show:
                shown["title"] += 1
                title = open(path, encoding="utf-8").readline().strip()
                print(f"title {key}: lingua={theirs['title']} ours={mine['line1Lang']} "
                      f"({mine['line1Conf']:.2f}) {title!r}")
    print()
    for (kind, theirs, mine), n in sorted(confusion.items()):
        if theirs != mine:
            print(f"  {kind}: lingua {theirs} -> ours {mine}: {n}")
    print(f"bodies: {body_agree}/{body_total} agree = {100 * body_agree / body_total:.2f}%")
    print(f"titles: {title_agree}/{title_total} agree = {100 * title_agree / title_total:.2f}%")
    print(f"(lingua {t1 - t0:.1f}s, probe {t2 - t1:.1f}s)")


if __name__ == "__main__":
    sys.exit(main())
