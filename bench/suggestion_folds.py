"""The suggestions' accuracy on citizens' speech by k-fold cross-validation (SPEC 10, 13).

The demo's history takes a share of its orders' words from the hand-written requests of
``hotline/demo/xiangtan/requests.jsonl`` (``hotline.demo.history.speech``). To measure
without memory, the requests are split into ``--folds`` folds (an order drawn from the
seed); for each fold the history is generated with the requests of the other folds only,
the model trained on it the product's way (``training.fit``, the calibration requests
included, the other folds' requests as the office's labelled requests) and measured on
the fold held out. "before" is the history with no hand-written
request, measured on all of them. Pooled top-1 category, top-3 lead unit, appeal type
and region, with 95 % Wilson intervals, and the CPU seconds of generating and training.

    python bench/suggestion_folds.py [--folds 5] [--months 3] [--per-month 30000] [--seed 12345]
"""

import argparse
import random
import tempfile
import time
from datetime import date
from pathlib import Path

from suggestions import wilson

import hotline.assistance
import hotline.demo
from hotline.assistance import training
from hotline.assistance.directory import from_files
from hotline.assistance.engine import SuggestionEngine
from hotline.assistance.samples import (
    Sample,
    articles_from_file,
    requests_from_file,
    samples_from_lines,
)
from hotline.demo.history.generator import generate
from hotline.demo.history.speech import FILE, read_requests

FIGURES = ("category_top1", "lead_top3", "appeal_top1", "region_top1")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--months", type=int, default=3)
    parser.add_argument("--per-month", type=int, default=30000)
    parser.add_argument("--seed", type=int, default=12345)
    args = parser.parse_args()
    demo = hotline.demo.DIRECTORY
    directory = from_files(demo)
    articles = articles_from_file(demo / "knowledge.csv")
    calibration = requests_from_file(
        Path(hotline.assistance.__file__).with_name("calibration.jsonl")
    )
    rows = read_requests(demo)
    order = list(range(len(rows)))
    random.Random(args.seed).shuffle(order)
    fold_of = {i: n % args.folds for n, i in enumerate(order)}
    tested = requests_from_file(demo / FILE)  # the same rows as samples, in file order

    def measure(
        name: str, kept: list[dict], held: list[Sample], labelled: list[Sample]
    ) -> dict[str, list[int]]:
        cpu = time.process_time()
        with tempfile.TemporaryDirectory() as folder:
            generate(
                directory=demo,
                start=date(2025, 1, 1),
                months=args.months,
                orders_per_month=args.per_month,
                seed=args.seed,
                out=Path(folder),
                requests=kept,
            )
            samples = samples_from_lines(Path(folder) / "orders.jsonl")
        made = time.process_time() - cpu
        model = training.fit(samples, directory, articles, calibration, labelled)
        trained = time.process_time() - cpu - made
        result = training.evaluate(SuggestionEngine(directory, model), held)
        counts = {
            "category_top1": len(held),
            "lead_top3": len(held),
            "appeal_top1": len(held),
            "region_top1": sum(1 for s in held if s.region),
        }
        hits = {f: [round(getattr(result, f) * n), n] for f, n in counts.items()}
        shown = ", ".join(f"{f} {h}/{n}" for f, (h, n) in hits.items())
        print(f"{name}: generated {made:.1f} CPU-s, trained {trained:.1f} CPU-s; {shown}")
        return hits

    report(
        "before (no hand-written request in the history or among the office's requests)",
        measure("before", [], tested, []),
    )
    pooled = {f: [0, 0] for f in FIGURES}
    for fold in range(args.folds):
        kept = [row for i, row in enumerate(rows) if fold_of[i] != fold]
        held = [s for i, s in enumerate(tested) if fold_of[i] == fold]
        labelled = [s for i, s in enumerate(tested) if fold_of[i] != fold]
        for figure, (hits, n) in measure(f"fold {fold + 1}", kept, held, labelled).items():
            pooled[figure][0] += hits
            pooled[figure][1] += n
    report(f"after, pooled over {args.folds} folds", pooled)


def report(name: str, hits: dict[str, list[int]]) -> None:
    print(name)
    for figure, (hit, n) in hits.items():
        low, high = wilson(hit, n)
        print(f"  {figure}: {hit / n:.1%} of {n} (95 % {low:.1%}–{high:.1%})")


if __name__ == "__main__":
    main()
