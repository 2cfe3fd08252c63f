"""`python -m benchmarks`: run every benchmark, print a table, write a JSON file."""

from benchmarks.run import main

raise SystemExit(main())
