"""`make bench`: CPU time of the extractor on a long text with no sentence break, at several sizes.

A reviewer's denial of service (review 13): "UBND thành phố đã có công văn gửi Sở Xây dựng " repeated n times (no
'.', ',' or ';') cost time growing with the square of its length, 55.7 s of CPU at n = 4000 (184.000 characters),
while the draft form accepts 300.000. The figure to watch is the CPU per 10.000 characters: about constant when the
work is linear, growing with n when it is not. CPU time of this process (`time.process_time`), best of `--repeat`.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import django


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="250,1000,4000,6500", help="numbers of copies of the sentence")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dondoc.settings")
    os.environ.setdefault("SECRET_KEY", "bench")
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    django.setup()
    from dondoc.drafting.extract import extract

    print(f"extractor on one unpunctuated sentence repeated (CPU, best of {args.repeat}):")
    for n in (int(x) for x in args.sizes.split(",")):
        text = "UBND thành phố đã có công văn gửi Sở Xây dựng " * n
        best = float("inf")
        for _ in range(args.repeat):
            t = time.process_time()
            extract(text)
            best = min(best, time.process_time() - t)
        print(
            f"  n={n:5d}  {len(text):7d} chars  {best:6.2f} s  {best / len(text) * 10_000:6.3f} s per 10k chars"
        )
    print(f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
