"""Benchmarks: speed (load, cold start, memory, training) and quality (NLU held-out, cross-validation).

Run with `make bench` (or `python -m bench --help`); each run writes a dated report under bench/results/.
"""
