"""Run every benchmark: ``uv run python bench/run.py``.

Each benchmark prints its measurement, the target from the issue, and the ratio against a
simple baseline measured in the same run on the same machine, so numbers compare across runs.
Exit code 1 when a target is missed.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import businesscase_bench
import import_bench
import pilots_bench
import reports_bench
import usecases_bench

RESULTS = [
    *usecases_bench.run(),
    *businesscase_bench.run(),
    *import_bench.run(),
    *pilots_bench.run(),
    *reports_bench.run(),
]


def main() -> int:
    failed = [r for r in RESULTS if not r.ok]
    for r in RESULTS:
        mark = "ok " if r.ok else "MISS"
        print(
            f"[{mark}] {r.name}: {r.value:.2f} {r.unit} (target < {r.target:g} {r.unit}); "
            f"baseline {r.baseline:.2f} {r.unit}, ratio {r.value / r.baseline:.2f}×"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
