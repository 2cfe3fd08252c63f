"""Benchmarks for the till: API economy, responsiveness, start-up and memory, overhead.

Run from the repository root: `python -m benchmarks [--quick] [--json FILE]`. See README.md.
"""
