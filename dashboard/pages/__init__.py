"""One module per page. Each exposes PATH, TITLE, `layout(**query)` and `register_callbacks(app)`;
app.create_app() registers them (no registration as an import side effect)."""
