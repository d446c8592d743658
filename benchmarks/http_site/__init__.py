"""The HTTP benchmark's site (benchmarks/http_pages.py): the portal plus two benchmark-only views. A package, not
benchmarks/*.py, because `make bench` runs every benchmarks/*.py as a benchmark."""
