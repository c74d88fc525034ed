"""Benchmarks of QUALITY.md: `make bench` runs them and writes benchmarks/results.json."""
