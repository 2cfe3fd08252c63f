import sys

from pos_app.server.cli import main

sys.exit(main())
