"""`make bench`: CPU time of the extractor on long texts of one repeated shape, at several sizes.

A reviewer's denial of service (review 13): "UBND thành phố đã có công văn gửi Sở Xây dựng " repeated n times (no
'.', ',' or ';') cost time growing with the square of its length, 55.7 s of CPU at n = 4000 (184.000 characters),
while the draft form accepts 300.000 (MAX_CHARS). Issue 17 found more such shapes: one task per "giao" with no stop
("giao Sở Y tế và ", 2.1 s at 32.000 characters), a long list of bodies ("Sở Y tế, ", 8.5 s at 8.000 characters),
many clauses cut by ';', many sentences, many dates, bullets. Each shape is printed at 32.000, 100.000 and 300.000
characters; the figure to watch is the CPU per 10.000 characters: about constant when the work is linear, growing
with the size when it is not. CPU time of this process (`time.process_time`), best of `--repeat`.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import django

SHAPES = {
    "no stop, a letter sent": "UBND thành phố đã có công văn gửi Sở Xây dựng ",
    "no stop, one task per giao": "giao Sở Y tế và ",
    "no stop, tasks with dates": "giao Sở Y tế báo cáo trước ngày 15/9/2024 và ",
    "a list of bodies": "Sở Y tế, ",
    "a list of district councils": "UBND quận Ba Đình, Hoàn Kiếm, ",
    "clauses cut by ';'": "Sở Y tế báo cáo trước ngày 15/9/2024; ",
    "lists in clauses": "Sở Y tế, Sở Xây dựng kiểm tra; ",
    "sentences": "Giao Sở Y tế kiểm tra. ",
    "bullets": "- Sở Y tế kiểm tra\n",
    "dates only": "trước ngày 20/2/2019 ",
    "open class named again": "giao Sở GT-VT các tỉnh và ",
    "a bare head after a ministry": "yêu cầu Bộ Y tế và Bộ ",
    "a window noun per task": "giao Sở Y tế kiểm tra khung thời vụ và ",
    "words, no task": "kiểm tra xử lý nghiêm vi phạm ",
}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--chars", default="32000,100000,300000", help="text sizes (characters)")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--shapes", default="", help="comma-separated names (default: all)")
    args = ap.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dondoc.settings")
    os.environ.setdefault("SECRET_KEY", "bench")
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    django.setup()
    from dondoc.drafting.extract import extract

    chosen = [s for s in args.shapes.split(",") if s] or list(SHAPES)
    sizes = [int(x) for x in args.chars.split(",")]
    print(
        f"extractor on one shape repeated (CPU s, best of {args.repeat}; s per 10k characters in brackets):"
    )
    print(f"  {'shape':32s}" + "".join(f"{n:>20d}" for n in sizes) + "   tasks")
    for name in chosen:
        unit = SHAPES[name]
        cells, tasks = [], 0
        for size in sizes:
            text = unit * max(1, size // len(unit))
            best = float("inf")
            for _ in range(args.repeat):
                t = time.process_time()
                doc = extract(text)
                best = min(best, time.process_time() - t)
            tasks = len(doc.tasks)
            cells.append(f"{best:8.2f} ({best / len(text) * 10_000:6.3f})")
        print(f"  {name:32s}" + "".join(f"{c:>20s}" for c in cells) + f"   {tasks}", flush=True)
    print(f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
