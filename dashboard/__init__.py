"""The dashboard: pages, UI building blocks, exports and the server side (docs/architecture.md).

Dash loads IPython for its notebook mode whenever IPython is installed: 0.3 s of every start of
an app, a gunicorn master and every command of the dashboard, half of importing Dash. The
dashboard never runs inside a notebook, so unless IPython is loaded already (a notebook), Dash
finds it missing. Imported before Dash by app.py and by every module of this package."""
import sys

if "IPython" not in sys.modules:
    sys.modules["IPython"] = None  # `import IPython` raises ImportError, which Dash expects
