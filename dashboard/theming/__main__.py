"""`python -m dashboard.theming PAKKET --naam NAAM`: see dashboard/theming/build.py."""
import sys

from dashboard.theming.build import main

if __name__ == "__main__":
    sys.exit(main())
