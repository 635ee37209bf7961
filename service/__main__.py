"""`python -m service` is the `depeche` command."""

import sys

from service.cli import main

sys.exit(main())
