"""Benchmarks and the corpus evaluation (`make bench`, `make eval`)."""
