"""``python -m resettle.cli``: the same as the ``resettle`` command."""

import sys

from resettle.cli import main

sys.exit(main())
