"""Benchmarks (bench/README.md)."""
