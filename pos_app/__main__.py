"""`python -m pos_app`: the same as the `pos-app` command."""

from pos_app.cli import main

raise SystemExit(main())
