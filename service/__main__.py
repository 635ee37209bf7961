"""`python -m depeche` is the `depeche` command."""

import sys

from .cli import main

sys.exit(main())
