#!/usr/bin/env python3
"""Build a labelled near-duplicate test set from the corpus.

Writes article files into OUT plus OUT/truth.tsv (path relative to OUT, true group). Groups:
  * base articles (from every language) with an exact copy, normalisation-only variants
    (CRLF, BOM, ZWNJ removed, Arabic/Persian letter swap, Persian or Arabic-Indic digits,
    NFD, harakat, tatweel, NBSP, re-wrapped lines) and near variants (site chrome added,
    title changed or removed, a sentence dropped or added, typos, truncation, swapped
    paragraphs), each file named after what was done to it;
  * the corpus's own same-body/different-title pairs (shared/corpus/same_body_pairs.tsv);
  * hundreds of unrelated singletons, picked from the same outlets and categories as the
    bases (same-outlet, same-topic news is the hard negative).
Unrelated picks are screened against every chosen article with char 9-gram Jaccard and
containment (after a rough normalisation), so that no unlabelled real duplicate from the
corpus poisons the truth.

Reusable by the daemon's end-to-end benchmark: point newsd at OUT and compare its clusters
with truth.tsv (scripts/score_labelled_set.py does it with analysis-probe).

usage: scripts/build_labelled_set.py --corpus ../shared/corpus --out DIR [--seed 7]
                                     [--bases-per-language 40] [--singles 600]
"""
import argparse
import csv
import os
import random
import re
import shutil
import unicodedata
import zlib
from collections import defaultdict

LANGS = ["ar", "fa", "sw", "en"]

CHROME = {
    "en": (["Get News Fast", "Search", "Home | World | Business | Sport"],
           ["Share this article", "Read more", "© 2024 Example News. All rights reserved.", "Date archive"]),
    "sw": (["Habari Mpya", "Tafuta", "Nyumbani | Michezo | Biashara"],
           ["Shiriki", "Soma zaidi", "Maoni", "© 2024 Habari Leo. Haki zote zimehifadhiwa."]),
    "ar": (["أخبار عاجلة", "بحث", "الرئيسية | سياسة | اقتصاد"],
           ["شارك الخبر", "اقرأ المزيد", "جميع الحقوق محفوظة © 2024", "تعليقات"]),
    "fa": (["Get News Fast", "جستجو", "صفحه اصلی | سیاسی | ورزشی"],
           ["اشتراک گذاری", "ادامه مطلب", "دکمه بازگشت به بالا", "2 × 1 ="]),
}
EXTRA_SENTENCE = {
    "en": "Editor's note: this story was updated with additional reporting from our correspondent.",
    "sw": "Taarifa hii imesasishwa na mwandishi wetu ili kuongeza maelezo zaidi kuhusu tukio hilo.",
    "ar": "ملاحظة المحرر: تم تحديث هذا الخبر بمعلومات إضافية من مراسلنا في المنطقة.",
    "fa": "یادداشت سردبیر: این خبر با اطلاعات تکمیلی خبرنگار ما در منطقه به روز شده است.",
}
HARAKAT = ["\u064e", "\u064f", "\u0650", "\u0652", "\u0651"]
PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def rough_normalize(text):
    t = unicodedata.normalize("NFKC", text).lower()
    t = t.replace("\u200c", "").replace("\u0640", "")
    t = t.translate(str.maketrans("یىکۀةأإآ", "ييكههااا"))
    t = "".join(c for c in unicodedata.normalize("NFD", t) if unicodedata.category(c) not in ("Mn", "Me"))
    return re.sub(r"[\W_]+", "", t)


def shingles(text):
    s = rough_normalize(text)
    if len(s) < 9:
        return {s}
    return {s[i:i + 9] for i in range(len(s) - 8)}


def read(path):
    return open(path, encoding="utf-8").read()


def split_doc(lang, text):
    lines = text.rstrip("\n").split("\n")
    if lang == "sw":
        return None, [l for l in lines if l.strip()]
    return lines[0], [l for l in lines[2:] if l.strip()]


def join_doc(title, paragraphs, sep="\n\n"):
    body = sep.join(paragraphs)
    return (title + "\n\n" + body + "\n") if title is not None else body + "\n"


def sentences(paragraph):
    parts = re.split(r"(?<=[.!?؟])\s+", paragraph)
    return [p for p in parts if p]


# ---- normalisation-only variants (must share the normalised key) ----

def v_crlf(lang, title, paras, rng):
    return join_doc(title, paras).replace("\n", "\r\n").encode("utf-8")


def v_bom(lang, title, paras, rng):
    return b"\xef\xbb\xbf" + join_doc(title, paras).encode("utf-8")


def v_rewrap(lang, title, paras, rng):
    return join_doc(title, paras, sep="\n").encode("utf-8")


def v_nbsp(lang, title, paras, rng):
    return join_doc(title, [p.replace(" ", "\u00a0", 3) for p in paras]).encode("utf-8")


def v_digits(lang, title, paras, rng):
    table = PERSIAN_DIGITS if lang in ("fa", "sw") else ARABIC_DIGITS
    return join_doc(title, [p.translate(table) for p in paras]).encode("utf-8")


def v_nfd(lang, title, paras, rng):
    return unicodedata.normalize("NFD", join_doc(title, paras)).encode("utf-8")


def v_letters(lang, title, paras, rng):
    t = join_doc(title, paras)
    if lang == "fa":
        t = t.replace("ی", "ي").replace("ک", "ك")
    elif lang == "ar":
        t = t.replace("ي", "ی").replace("ك", "ک")
    return t.encode("utf-8")


def v_zwnj(lang, title, paras, rng):
    return join_doc(title, paras).replace("\u200c", "").encode("utf-8")


def v_harakat(lang, title, paras, rng):
    out = []
    for ch in join_doc(title, paras):
        out.append(ch)
        if "\u0621" <= ch <= "\u064a" and rng.random() < 0.3:
            out.append(rng.choice(HARAKAT))
    return "".join(out).encode("utf-8")


def v_tatweel(lang, title, paras, rng):
    out = []
    for ch in join_doc(title, paras):
        out.append(ch)
        if ch in "بتثجحخسشصضعغفقكلمنهي" and rng.random() < 0.05:
            out.append("\u0640\u0640")
    return "".join(out).encode("utf-8")


NORMALISATION = {
    "any": [v_crlf, v_bom, v_rewrap, v_nbsp, v_digits, v_nfd],
    "ar": [v_letters, v_harakat, v_tatweel],
    "fa": [v_letters, v_zwnj, v_tatweel],
}


# ---- near variants ----

def n_chrome(lang, title, paras, rng):
    head, foot = CHROME[lang]
    return ("\n\n".join(rng.sample(head, 2)) + "\n\n" + join_doc(title, paras) + "\n"
            + "\n".join(rng.sample(foot, 3)) + "\n").encode("utf-8")


def n_title(lang, title, paras, rng):
    if title is None:
        return None
    new_title = title + (" (updated)" if lang in ("en", "sw") else " - تحديث")
    return join_doc(new_title if rng.random() < 0.5 else None, paras).encode("utf-8")


def n_drop_sentence(lang, title, paras, rng):
    all_s = [(i, s) for i, p in enumerate(paras) for s in sentences(p)]
    if len(all_s) < 8:
        return None
    drop = rng.randrange(len(all_s))
    out = defaultdict(list)
    for k, (i, s) in enumerate(all_s):
        if k != drop:
            out[i].append(s)
    return join_doc(title, [" ".join(out[i]) for i in range(len(paras)) if out[i]]).encode("utf-8")


def n_add_sentence(lang, title, paras, rng):
    p = list(paras)
    p.insert(rng.randrange(1, len(p) + 1), EXTRA_SENTENCE[lang])
    return join_doc(title, p).encode("utf-8")


def n_typos(lang, title, paras, rng):
    """About one typo (swap, deletion or doubling) per 150 characters of the body."""
    text = "\n\n".join(paras)
    chars = list(text)
    for _ in range(max(1, len(chars) // 150)):
        i = rng.randrange(len(chars))
        if chars[i] == "\n":
            continue
        op = rng.random()
        if op < 0.4 and i + 1 < len(chars) and chars[i + 1] != "\n":
            chars[i], chars[i + 1] = chars[i + 1], chars[i]
        elif op < 0.7:
            del chars[i]
        else:
            chars.insert(i, chars[i])
    return join_doc(title, [p for p in "".join(chars).split("\n\n") if p.strip()]).encode("utf-8")


def n_truncate(lang, title, paras, rng):
    """Keep the first 60-80% of the body's text, cut at a sentence boundary."""
    all_s = [(i, s) for i, p in enumerate(paras) for s in sentences(p)]
    total = sum(len(s) for _, s in all_s)
    if len(all_s) < 4 or total < 600:
        return None
    target = total * rng.uniform(0.6, 0.8)
    kept, size = defaultdict(list), 0
    for i, s in all_s:
        if size >= target:
            break
        kept[i].append(s)
        size += len(s)
    if size >= total:
        return None
    return join_doc(title, [" ".join(kept[i]) for i in range(len(paras)) if kept[i]]).encode("utf-8")


def n_swap(lang, title, paras, rng):
    if len(paras) < 3:
        return None
    p = list(paras)
    i = rng.randrange(len(p) - 1)
    p[i], p[i + 1] = p[i + 1], p[i]
    return join_doc(title, p).encode("utf-8")


NEAR = [n_chrome, n_title, n_drop_sentence, n_add_sentence, n_typos, n_truncate, n_swap]


def jaccard_containment(a, b):
    inter = len(a & b)
    if not inter:
        return 0.0, 0.0
    return inter / len(a | b), inter / min(len(a), len(b))


class Screen:
    """Rejects a candidate that resembles any article already chosen (rough J or containment)."""

    def __init__(self):
        self.sets = []
        self.index = defaultdict(list)

    def conflicts(self, sh, jmax=0.2, cmax=0.4):
        sample = [g for g in sh if zlib.crc32(g.encode()) % 8 == 0]
        counts = defaultdict(int)
        for g in sample:
            for k in self.index.get(g, ()):
                counts[k] += 1
        for k, c in counts.items():
            if c >= max(3, len(sample) // 20):
                j, cont = jaccard_containment(sh, self.sets[k])
                if j >= jmax or cont >= cmax:
                    return True
        return False

    def add(self, sh):
        k = len(self.sets)
        self.sets.append(sh)
        for g in sh:
            if zlib.crc32(g.encode()) % 8 == 0:
                self.index[g].append(k)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--bases-per-language", type=int, default=40)
    ap.add_argument("--singles", type=int, default=600)
    a = ap.parse_args()
    rng = random.Random(a.seed)

    meta = {}
    with open(os.path.join(a.corpus, "index.tsv"), encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            meta[row["file"]] = row["category_or_outlet"]
    pairs = []
    with open(os.path.join(a.corpus, "same_body_pairs.tsv"), encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            pairs.append((row["file_kept_first"], row["file_same_body_different_title"]))
    paired = {p for pair in pairs for p in pair}

    if os.path.exists(a.out):
        shutil.rmtree(a.out)
    os.makedirs(a.out)
    truth = []
    screen = Screen()

    def write(name, data, group):
        with open(os.path.join(a.out, name), "wb") as f:
            f.write(data)
        truth.append((name, group))

    # Corpus pairs with identical bodies: real near-duplicates, one group each.
    group_no = 0
    for first, second in pairs:
        sh1, sh2 = shingles(read(os.path.join(a.corpus, first))), shingles(read(os.path.join(a.corpus, second)))
        if screen.conflicts(sh1) or screen.conflicts(sh2):
            continue
        group_no += 1
        g = f"pair{group_no:03d}"
        for rel in (first, second):
            write(f"{g}_{rel.replace('/', '_')}", open(os.path.join(a.corpus, rel), "rb").read(), g)
        screen.add(sh1 | sh2)

    # Bases with variants.
    by_lang = {lang: sorted(f"{lang}/{n}" for n in os.listdir(os.path.join(a.corpus, lang))) for lang in LANGS}
    outlets = defaultdict(int)
    kinds = defaultdict(int)
    for lang in LANGS:
        candidates = [p for p in by_lang[lang] if p not in paired]
        rng.shuffle(candidates)
        chosen = 0
        for rel in candidates:
            if chosen >= a.bases_per_language:
                break
            text = read(os.path.join(a.corpus, rel))
            if len(text) < 800:
                continue
            sh = shingles(text)
            if screen.conflicts(sh):
                continue
            screen.add(sh)
            chosen += 1
            outlets[meta.get(rel, "")] += 1
            g = f"{lang}{chosen:03d}"
            title, paras = split_doc(lang, text)
            write(f"{g}_base.txt", text.encode("utf-8"), g)
            write(f"{g}_exact.txt", text.encode("utf-8"), g)
            norm = NORMALISATION["any"] + NORMALISATION.get(lang, [])
            for fn in rng.sample(norm, 3):
                data = fn(lang, title, paras, rng)
                kinds["norm_" + fn.__name__[2:]] += 1
                write(f"{g}_norm_{fn.__name__[2:]}.txt", data, g)
            near = list(NEAR)
            rng.shuffle(near)
            made = 0
            for fn in near:
                if made >= 3:
                    break
                data = fn(lang, title, paras, rng)
                if data is None:
                    continue
                if fn is n_typos or rng.random() < 0.3:
                    # Some variants combine two edits: new chrome on top of the change.
                    data = n_chrome(lang, *split_doc(lang, data.decode("utf-8")), rng)
                    name = f"{g}_near_{fn.__name__[2:]}+chrome.txt"
                else:
                    name = f"{g}_near_{fn.__name__[2:]}.txt"
                kinds["near_" + fn.__name__[2:]] += 1
                write(name, data, g)
                made += 1

    # Unrelated singletons, preferring the bases' outlets and categories.
    pool = [p for lang in LANGS for p in by_lang[lang] if p not in paired]
    rng.shuffle(pool)
    pool.sort(key=lambda p: -outlets.get(meta.get(p, ""), 0))
    singles = 0
    used = {name.split("_", 1)[0] for name, _ in truth}
    for rel in pool:
        if singles >= a.singles:
            break
        text = read(os.path.join(a.corpus, rel))
        sh = shingles(text)
        if screen.conflicts(sh):
            continue
        screen.add(sh)
        singles += 1
        g = f"single{singles:04d}"
        write(f"{g}_{rel.replace('/', '_')}", text.encode("utf-8"), g)

    with open(os.path.join(a.out, "truth.tsv"), "w", encoding="utf-8") as f:
        f.write("path\ttrue_group\n")
        for name, g in truth:
            f.write(f"{name}\t{g}\n")
    groups = len({g for _, g in truth})
    print(f"{len(truth)} files in {groups} groups ({group_no} corpus pairs, "
          f"{sum(1 for g in {g for _, g in truth} if g[:2] in LANGS)} bases, {singles} singletons)")
    print("variant kinds:", dict(sorted(kinds.items())))


if __name__ == "__main__":
    main()
