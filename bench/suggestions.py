"""Speed and accuracy of the intake suggestions (SPEC 10, 13).

Generates a history of the demo city, learns on its earlier months, and measures on the
latest month: accuracy (top-1 category, top-3 lead unit, appeal type, region), one
order at a time (floor: ≤ 10 ms an order) and in batches (floor: ≥ 2 000 orders/s).
Also reports the accuracy on the hand-written requests of tests/data.

    python bench/suggestions.py [--months 4] [--per-month 3000] [--seed 11]
"""

import argparse
import json
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

import hotline.demo
from hotline.assistance import training
from hotline.assistance.directory import from_files
from hotline.assistance.engine import SuggestionEngine
from hotline.assistance.samples import samples_from_lines
from hotline.interchange.generator import generate

HAND_WRITTEN = Path(__file__).parent.parent / "tests" / "data" / "assistance_requests.jsonl"
BATCH = 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--months", type=int, default=4)
    parser.add_argument("--per-month", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    directory = from_files(hotline.demo.DIRECTORY)
    with tempfile.TemporaryDirectory() as folder:
        generate(
            directory=hotline.demo.DIRECTORY,
            start=date(2025, 1, 1),
            months=args.months,
            orders_per_month=args.per_month,
            seed=args.seed,
            out=Path(folder),
        )
        samples = samples_from_lines(Path(folder) / "orders.jsonl")
    started = time.perf_counter()
    model, evaluation = training.train_and_evaluate(samples, directory, refit=False)
    print(f"training on {evaluation.trained_on} orders: {time.perf_counter() - started:.1f} s")
    print("held-out month", evaluation.test_month, json.dumps(evaluation.as_dict()))

    engine = SuggestionEngine(directory, model)
    rows = [json.loads(line) for line in HAND_WRITTEN.open(encoding="utf-8") if line.strip()]
    hand = training.evaluate(
        engine,
        [training_sample(r) for r in rows],
        month="hand-written",
    )
    print("hand-written", json.dumps(hand.as_dict()))

    _, later, _ = training.split_by_time(samples)
    orders = [(s.content, s.address) for s in later]
    engine.suggest(*orders[0])  # warm
    times = []
    for content, address in orders[:2000]:
        t = time.perf_counter()
        engine.suggest(content, address)
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    p95 = times[int(len(times) * 0.95)]
    print(
        f"one at a time: median {statistics.median(times):.2f} ms, p95 {p95:.2f} ms (floor 10 ms)"
    )
    done, t = 0, time.perf_counter()
    for i in range(0, len(orders), BATCH):
        engine.suggest_many(orders[i : i + BATCH])
        done += len(orders[i : i + BATCH])
    rate = done / (time.perf_counter() - t)
    print(f"batch of {BATCH}: {rate:.0f} orders/s (floor 2000)")


def training_sample(row):
    from datetime import datetime

    from hotline.assistance.samples import Sample

    return Sample(
        received_at=datetime(2025, 5, 1),
        content=row["content"],
        address=row["address"],
        appeal_type=row["appeal_type"],
        category=row["category"],
        region=row["region"],
        lead=row["lead"],
        concluded=True,
    )


if __name__ == "__main__":
    main()
