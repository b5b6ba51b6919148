"""The benchmark harness behind ``make bench`` (``python -m bench --size S|L``).

It never touches the developer's database: it creates a database of its own (a throwaway SQLite
file, or ``<name>_bench`` next to the ``DATABASE_URL`` database), migrates it, fills it with a
seeded dataset (:mod:`bench.dataset`), then for every measured endpoint (:mod:`bench.endpoints`)
prints the median wall time as a ratio to a hand-written SQL query that fetches the same rows,
and the number of queries the endpoint issues at 1 row and at 200 rows (they must be equal).

Modules that touch models are imported only after ``django.setup()`` (see :mod:`bench.cli`).
"""
