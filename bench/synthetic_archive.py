#!/usr/bin/env python3
"""A synthetic news archive of any size, made deterministically from a corpus.

usage: synthetic_archive.py CORPUS OUT ARTICLES [--seed S]
  CORPUS  a tree of articles in per-language folders (../shared/corpus: ar en fa sw)
  OUT     the directory to write (created; must not exist)

Each article takes one language in turn, a title line of its own (made of words of that
language's titles) and 3-9 paragraphs of over 80 characters drawn at random from that
language's articles: every article is distinct, while paragraphs recur across articles as
wire copy, quotes and boilerplate recur in an archive. Articles go 1,000 to a directory.
prints: the number of articles and bytes written.
"""
import os, random, sys


def main():
    args = sys.argv[1:]
    seed = 1
    if "--seed" in args:
        i = args.index("--seed"); seed = int(args[i + 1]); del args[i:i + 2]
    corpus, out, total = args[0], args[1], int(args[2])
    languages = sorted(d for d in os.listdir(corpus) if os.path.isdir(os.path.join(corpus, d)))
    paragraphs, title_words = {}, {}
    for language in languages:
        paras, words = [], []
        for root, _, files in sorted(os.walk(os.path.join(corpus, language))):
            for name in sorted(files):
                with open(os.path.join(root, name), encoding="utf-8", errors="replace") as f:
                    lines = [line.strip() for line in f.read().split("\n")]
                lines = [line for line in lines if line]
                if not lines:
                    continue
                words += lines[0].split()[:12]
                paras += [line for line in lines[1:] if len(line) > 80]
        paragraphs[language], title_words[language] = paras, words
    rng = random.Random(seed)
    os.makedirs(out)
    written = 0
    for n in range(total):
        language = languages[n % len(languages)]
        title = " ".join(rng.choice(title_words[language]) for _ in range(rng.randint(5, 11)))
        body = [rng.choice(paragraphs[language]) for _ in range(rng.randint(3, 9))]
        text = f"{title} ({n})\n\n" + "\n\n".join(body) + "\n"
        directory = os.path.join(out, f"{n // 1000:04d}")
        if n % 1000 == 0:
            os.makedirs(directory)
        data = text.encode("utf-8")
        with open(os.path.join(directory, f"{language}-{n:07d}.txt"), "wb") as f:
            f.write(data)
        written += len(data)
    print(f"{total} articles, {written} bytes in {out}")


main()
