"""Guard of issue 30: `rhetoric reuse` on 200 documents within 10 s.

Builds a data folder of 200 documents from the presidential speeches: 20 "statements"
(kind joint_statement, the first 600 words of 20 speeches, four dyads, dated a week apart)
and 180 "articles" (kind news_article, nine per statement, dated 0-3 days after it, one of
them three days before: an anomaly), each made of 300 words of another speech's narration
with two to four sentences of its statement quoted in it, one with a word changed. Times the
whole `rhetoric reuse --format csv` process, cold (cache emptied) and warm, and counts the
passages it reports.

Usage::

    .venv/bin/python benchmarks/reuse.py --runs 3 --out benchmarks/results-reuse-issue30.json
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench

DYADS = ("US,RU", "RU,CN", "US,CN", "US,UK")


def _words(text: str) -> list[str]:
    return text.split()


def build(target: Path, speeches: Path) -> int:
    """The 200-document data folder; returns the number of documents."""
    from rhetoric import add_statements

    rng = random.Random(30)
    files = sorted(speeches.glob("*.txt"))
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in files]
    texts = [t for t in texts if len(_words(t)) > 1500]
    target.mkdir(parents=True)
    (target / "raw").mkdir()
    (target / "corpus.csv").write_text(
        "id,file,title,date,parties,kind,outlet,url,language,sha256\n", encoding="utf-8"
    )
    for name in ("parties.yml", "themes.yml", "boilerplate.yml", "kinds.yml"):
        shutil.copy(bench.ROOT / "data" / name, target / name)
    staging = Path(tempfile.mkdtemp(prefix="reuse-bench-"))
    start = dt.date(2020, 1, 6)
    count = 0
    for k in range(20):
        statement = " ".join(_words(texts[k])[:600])
        sentences = [s for s in re.split(r"(?<=[.!?])\s+", statement) if len(s.split()) >= 10]
        date = start + dt.timedelta(days=7 * k)
        parties = DYADS[k % len(DYADS)]
        source = staging / f"statement-{k:02d}.txt"
        source.write_text(statement, encoding="utf-8")
        add_statements([source], data_dir=target, date=date.isoformat(), parties=parties,
                       kind="joint_statement", title=f"Statement {k}", id=f"statement-{k:02d}")  # fmt: skip
        count += 1
        for j in range(9):
            own = _words(texts[20 + (9 * k + j) % (len(texts) - 20)])
            offset = rng.randrange(0, len(own) - 300)
            narration = own[offset : offset + 300]
            quoted = rng.sample(sentences, k=min(len(sentences), rng.randint(2, 4)))
            words = quoted[0].split()
            words[len(words) // 2] = "reportedly"
            quoted[0] = " ".join(words)
            body = []
            for n, sentence in enumerate(quoted):
                body += [*narration[n * 60 : (n + 1) * 60], f"“{sentence}”"]
            body += narration[len(quoted) * 60 :]
            days = -3 if j == 8 else rng.randint(0, 3)
            source = staging / f"article-{k:02d}-{j}.txt"
            source.write_text(" ".join(body), encoding="utf-8")
            add_statements([source], data_dir=target,
                           date=(date + dt.timedelta(days=days)).isoformat(), parties=parties,
                           kind="news_article", title=f"Article {k}.{j}", outlet=f"Outlet {j}",
                           id=f"article-{k:02d}-{j}")  # fmt: skip
            count += 1
    shutil.rmtree(staging)
    return count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--speeches", type=Path, default=bench.SPEECHES)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="rhetoric-reuse-") as scratch:
        data, cache = Path(scratch) / "data", Path(scratch) / "cache"
        documents = build(data, args.speeches)
        command = [str(bench.BIN / "rhetoric"), "reuse", "--data", str(data), "--format", "csv"]
        env = {**bench.os.environ, "RHETORIC_CACHE": str(cache)}
        cold, warm, out = [], [], ""
        for _ in range(args.runs):
            shutil.rmtree(cache, ignore_errors=True)
            for times in (cold, warm):
                began = time.perf_counter()
                done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
                times.append(round(time.perf_counter() - began, 2))
                out = done.stdout
        passages = len(out.splitlines()) - 1
        anomalies = subprocess.run([*command, "--per", "anomaly"], env=env, capture_output=True,
                                   text=True, check=True).stdout  # fmt: skip
    result = {"documents": documents, "runs": args.runs, "cold_seconds": cold,
              "warm_seconds": warm, "median_cold": statistics.median(cold),
              "median_warm": statistics.median(warm), "passages": passages,
              "anomalies": len(anomalies.splitlines()) - 1}  # fmt: skip
    text = json.dumps(result, indent=1)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
