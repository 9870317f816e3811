"""``python -m cccd_reader``: the ``cccd`` command, for when the script is not on PATH."""

import sys

from cccd_reader.cli import main

if __name__ == "__main__":
    sys.exit(main())
