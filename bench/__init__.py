"""Haicang's benchmarks: ``python -m bench`` (full size) and ``python -m bench --quick`` (small)."""
