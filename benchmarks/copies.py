"""Wire-copy detection cost per article, with an index of thousands of recent articles.

    python -m benchmarks.copies [--data ../shared/data] [--articles 20000]

The texts are the real article bodies the copy evaluation reads (article-extraction benchmark,
BASIL, ECB+, WikinewsSum, WMT in every language), cycled to the requested count with a few words
changed in each cycle after the first, so that the index holds that many distinct signatures (and
each repeated text is a copy of its first version, as wire copies are). Prints milliseconds per
article for signing (MinHash of the body's shingles), for placing it (LSH query, checks, insert),
the copies found, the signature's stored size, and the time to load the index from stored
signatures (what a restart costs, ``load_copy_index``).
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from newsdesk.dedupe.copies import CopyIndex, Signature, signature
from newsdesk.evaluation.copyset import load_docs
from newsdesk.settings import CopySettings

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--articles", type=int, default=20000)
    args = parser.parse_args()
    settings = CopySettings()
    docs, _ = load_docs(args.data)
    texts = [d.body for d in sorted(docs.values(), key=lambda d: d.id)]
    rng = random.Random(7)
    bodies = []
    for n in range(args.articles):
        body = texts[n % len(texts)]
        if n >= len(texts):
            words = body.split()
            for _ in range(3):
                words[rng.randrange(len(words))] = f"w{n}"
            body = " ".join(words)
        bodies.append(body)

    started = time.perf_counter()
    signed = [signature(body, settings) for body in bodies]
    sign_seconds = time.perf_counter() - started
    index = CopyIndex(settings)
    now = datetime.now(UTC)
    copies = 0
    started = time.perf_counter()
    for key, found in enumerate(signed, start=1):
        if found is not None:
            when = now + timedelta(seconds=key)
            match = index.place(key, found, when, when)
            copies += int(match is not None and match.copy_of is not None)
    place_seconds = time.perf_counter() - started
    stored = [(key, found.to_bytes()) for key, found in enumerate(signed, start=1) if found is not None]
    started = time.perf_counter()
    reloaded = CopyIndex(settings)
    for key, data in stored:
        reloaded.add(key, Signature.from_bytes(data), now)
    load_seconds = time.perf_counter() - started
    count = len(bodies)
    print(f"articles {count} ({len(texts)} distinct texts), indexed {len(index)}, copies found {copies}")
    print(f"signing {1000 * sign_seconds / count:.3f} ms per article")
    print(f"placing {1000 * place_seconds / count:.3f} ms per article (LSH query, checks, insert)")
    print(f"stored signature {len(stored[0][1])} bytes per article")
    print(f"loading the index from {len(stored)} stored signatures: {load_seconds:.2f} s")


if __name__ == "__main__":
    main()
