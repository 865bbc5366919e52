"""Benchmarks. Each area has its own module; results are written to docs/performance.md."""
