"""The data check's profile against the yardsticks of issue 16, point 7, measured in one run.

``uv run python bench/datacheck_bench.py`` (``--rows 100000`` for a quick run, ``--no-ydata``
to leave ydata-profiling out). It writes a messy 20-column ERP export of ``--rows`` rows
(default 1,000,000) into a temporary folder (``datacheck_data.py``: German numbers and dates,
two columns with mixed formats, rows exported twice, personal data next to article numbers
that look like phone numbers) and profiles it three ways, each in a process of its own so
that its time and peak memory (the process's maximum resident set size) are its own:

* Startklar's full profile (``startklar.datacheck.engine.profile``, personal data included);
* a bare polars profile of the same file: every column read as text (polars' own type
  inference stops at the first "k.A." in a number column), then nulls, distinct values per
  column, duplicate rows and ``describe``;
* ydata-profiling in its minimal mode (pandas reading the file, then the report as JSON).
  ydata-profiling needs numpy < 2.4 and the project has numpy 2.4, so it cannot share the
  project's environment (nor a dependency group of its lock): it runs in a throwaway
  environment of its own (``uv run --isolated --no-project --with ydata-profiling``). Where
  that cannot be installed, the run says so and leaves only that ratio out.

Targets (exit code 1 when one is missed): Startklar at most 1.5 × the bare polars time, at
least 20 × faster than ydata-profiling's minimal mode, peak memory at most 2 × the file size;
and on the file's known truth every planted mixed-format column found (and no other), every
personal-data column found and no other, the planted duplicate rows counted exactly.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import datacheck_data

BARE_RATIO = 1.5  # Startklar's time at most this many times the bare polars profile's
YDATA_RATIO = 20.0  # ydata-profiling's minimal mode at least this many times slower
MEMORY_RATIO = 2.0  # peak resident memory at most this many times the file's size

# Each child prints one line of JSON: its seconds, its peak memory and what it found.
# The process's own peak (VmHWM: ru_maxrss would carry over its parent's peak through exec).
PEAK = """
import resource, sys
from pathlib import Path
def peak_bytes():
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kib * 1024 if sys.platform != "darwin" else kib
"""

STARTKLAR = (
    PEAK
    + """
import json, time
from pathlib import Path
from startklar.datacheck.engine import profile
started = time.perf_counter()
found = profile(Path(sys.argv[1]))
seconds = time.perf_counter() - started
print(json.dumps({
    "seconds": seconds,
    "peak": peak_bytes(),
    "rows": found.rows,
    "duplicate_rows": found.duplicate_rows,
    "mixed": [c.name for c in found.columns if c.mixed],
    "personal": list(found.personal_columns),
    "duplicate_keys": found.duplicate_keys,
    "coverage": None if found.coverage is None else found.coverage.column,
}))
"""
)

BARE = (
    PEAK
    + """
import json, time
import polars as pl
started = time.perf_counter()
frame = pl.read_csv(sys.argv[1], separator=";", infer_schema=False)
nulls = frame.null_count()
distinct = frame.select(pl.all().n_unique())
duplicates = int(frame.is_duplicated().sum())
description = frame.describe()
seconds = time.perf_counter() - started
print(json.dumps({"seconds": seconds, "peak": peak_bytes(), "rows": frame.height}))
"""
)

YDATA = (
    PEAK
    + """
import json, time, warnings
warnings.filterwarnings("ignore")
import pandas as pd
from ydata_profiling import ProfileReport
started = time.perf_counter()
frame = pd.read_csv(sys.argv[1], sep=";", dtype=str, keep_default_na=False)
report = ProfileReport(frame, minimal=True, progress_bar=False)
report.to_json()
seconds = time.perf_counter() - started
print(json.dumps({"seconds": seconds, "peak": peak_bytes(), "rows": len(frame)}))
"""
)


@dataclass(frozen=True)
class Measured:
    seconds: float
    peak: int  # bytes
    found: dict[str, object]


def child(command: list[str], script: str, path: Path, timeout: float) -> Measured:
    done = subprocess.run(  # noqa: S603 - our own interpreter and scripts
        [*command, "-c", textwrap.dedent(script), str(path)],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr.strip().splitlines()[-1] if done.stderr else "failed")
    found = json.loads(done.stdout.strip().splitlines()[-1])
    return Measured(float(found.pop("seconds")), int(found.pop("peak")), found)


def ydata(path: Path, timeout: float) -> Measured | str:
    """ydata-profiling's minimal mode in an environment of its own; a reason if impossible."""
    uv = shutil.which("uv")
    if uv is None:
        return "uv is not installed"
    command = [
        uv,
        "run",
        "--quiet",
        "--isolated",
        "--no-project",
        "--python",
        f"{sys.version_info.major}.{sys.version_info.minor}",
        "--with",
        "ydata-profiling",
        "--with",
        "setuptools<81",  # ydata-profiling still imports pkg_resources
        "python",
    ]
    try:
        return child(command, YDATA, path, timeout)
    except (RuntimeError, subprocess.TimeoutExpired) as error:
        return f"ydata-profiling could not run: {error}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--no-ydata", action="store_true", help="leave ydata-profiling out")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds per profile")
    arguments = parser.parse_args()

    failures: list[str] = []
    with tempfile.TemporaryDirectory(prefix="startklar-datacheck-bench-") as folder:
        path = Path(folder) / "export.csv"
        started = time.perf_counter()
        truth = datacheck_data.write(path, arguments.rows)
        size = path.stat().st_size
        print(
            f"file: {truth.rows:,} rows × {len(truth.columns)} columns, "
            f"{size / 2**20:.1f} MiB, made in {time.perf_counter() - started:.1f} s"
        )
        python = [sys.executable]
        ours = child(python, STARTKLAR, path, arguments.timeout)
        bare = child(python, BARE, path, arguments.timeout)
        other = "left out (--no-ydata)" if arguments.no_ydata else ydata(path, arguments.timeout)

    def line(name: str, measured: Measured) -> None:
        print(
            f"  {name:<28} {measured.seconds:8.2f} s   peak {measured.peak / 2**20:8.1f} MiB"
            f" ({measured.peak / size:.2f} × the file)"
        )

    print("measured (each in a process of its own):")
    line("Startklar full profile", ours)
    line("bare polars profile", bare)
    if isinstance(other, Measured):
        line("ydata-profiling minimal", other)
    else:
        print(f"  ydata-profiling minimal      {other}")

    def target(ok: bool, text: str) -> None:
        print(f"[{'ok ' if ok else 'MISS'}] {text}")
        if not ok:
            failures.append(text)

    print("targets:")
    ratio = ours.seconds / bare.seconds
    target(ratio <= BARE_RATIO, f"Startklar / bare polars: {ratio:.2f} × (at most {BARE_RATIO} ×)")
    if isinstance(other, Measured):
        faster = other.seconds / ours.seconds
        target(
            faster >= YDATA_RATIO,
            f"ydata-profiling minimal / Startklar: {faster:.1f} × (at least {YDATA_RATIO:g} ×)",
        )
    else:
        print("[skip] ydata-profiling minimal / Startklar: not measured")
    memory = ours.peak / size
    target(
        memory <= MEMORY_RATIO, f"peak memory: {memory:.2f} × the file (at most {MEMORY_RATIO} ×)"
    )

    found = ours.found
    mixed, personal = set(found["mixed"]), set(found["personal"])  # type: ignore[call-overload]
    target(
        mixed == truth.mixed,
        f"mixed-format columns: found {sorted(mixed)}, planted {sorted(truth.mixed)}",
    )
    target(
        personal == truth.personal,
        f"personal-data columns: found {sorted(personal)}, planted {sorted(truth.personal)}",
    )
    target(
        found["duplicate_rows"] == truth.duplicate_rows,
        f"duplicate rows: found {found['duplicate_rows']}, planted {truth.duplicate_rows}",
    )
    target(
        truth.duplicate_key in found["duplicate_keys"]  # type: ignore[operator]
        and found["coverage"] == truth.date_column,
        f"duplicate keys {found['duplicate_keys']}, main date column {found['coverage']}",
    )
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
