"""The HTTP benchmarks' site (benchmarks/http_pages.py, benchmarks/load.py): the portal plus benchmark-only views.
A package, not benchmarks/*.py, because `make bench` runs every benchmarks/*.py as a benchmark."""
