"""Run every benchmark on each database in a child process per database, printing tables."""

from __future__ import annotations

import argparse
import subprocess
import sys

from bench.harness import bench_databases

BENCHMARKS = [
    "bench.sequences",
    "bench.locations",
    "bench.catalog_import",
    "bench.inventory",
    "bench.integration",
    "bench.fulfillment_waves",
    "bench.orders",
]
PURE_BENCHMARKS = [  # no database: run once, not per database
    "bench.fulfillment_paths",
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    parser.add_argument("--only", help="run one benchmark module, e.g. bench.sequences")
    args = parser.parse_args()
    selected = [args.only] if args.only else BENCHMARKS + PURE_BENCHMARKS
    status = 0
    for module in (m for m in selected if m in PURE_BENCHMARKS):
        status |= subprocess.call([sys.executable, "-m", module, *(["--quick"] if args.quick else [])])  # noqa: S603
    modules = [m for m in selected if m not in PURE_BENCHMARKS]
    for label, url in bench_databases():
        for module in modules:
            # A fresh interpreter per database: Django configures itself once per process.
            cmd = [sys.executable, "-m", module, "--db", label] + (["--url", url] if url else [])
            cmd += ["--quick"] if args.quick else []
            status |= subprocess.call(cmd)  # noqa: S603
    return status


if __name__ == "__main__":
    raise SystemExit(main())
