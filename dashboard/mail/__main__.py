"""`python -m dashboard.mail digest|herinnering|controleer` (dashboard/mail/cli.py)."""
import sys

from dashboard.mail.cli import main

sys.exit(main())
