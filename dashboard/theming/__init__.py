"""The gemeente's own look: NL Design System design tokens → the product's theme stylesheet
(build.py, `python -m dashboard.theming`), and the theme THEMA chooses (active_theme.py)."""
