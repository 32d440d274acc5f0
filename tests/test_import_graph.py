"""The layering, read from the source of every module: dependencies point one way (app → dashboard →
kpi → data), no module imports a private name of another, and there are no import cycles. Imports
count wherever they stand (also inside a function); only type-checking imports and a module's
`if __name__ == "__main__":` block (a command line) do not."""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("data", "kpi", "dashboard")
LAYER = {"data": 0, "kpi": 1, "dashboard": 2, "app": 3}

# Command lines compose the layers: `python -m data load` stores the KPI totals in the load's
# transaction (contract cli.md), and `python -m data targets` exchanges the streefwaarden through the
# programme's targets file (dashboard/programme/targets_csv.py, which reads the KPIs' units).
ENTRY_POINTS = {"data.__main__", "data.programme.targets_cli"}

# Import cycles still to break: each set is one strongly connected component. Empty since the
# builders the pages held moved out of dashboard/pages/; an entry must come off once its cycle is
# broken, and no new one may appear.
KNOWN_CYCLES: list[set[str]] = []


def modules() -> dict[str, Path]:
    found = {"app": ROOT / "app.py"}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _skipped(node: ast.AST) -> bool:
    """`if TYPE_CHECKING:` and `if __name__ == "__main__":` blocks."""
    if not isinstance(node, ast.If):
        return False
    test = ast.unparse(node.test)
    return test in ("TYPE_CHECKING", "typing.TYPE_CHECKING") or test.replace("'", '"') == '__name__ == "__main__"'


def _imports(tree: ast.AST):
    for node in ast.iter_child_nodes(tree):
        if _skipped(node):
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        yield from _imports(node)


def graph() -> tuple[dict[str, set[str]], list[tuple[str, str, str]]]:
    """{module: the project modules it imports}, and every (module, from, name) of a private name
    imported from another module (the project's or a library's)."""
    known = modules()
    edges: dict[str, set[str]] = {}
    private = []
    for name, path in known.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        targets = set()
        for node in _imports(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets |= {a.name for a in node.names}
                continue
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parent + ([base] if base else []))
            for alias in node.names:
                if f"{base}.{alias.name}" in known:
                    targets.add(f"{base}.{alias.name}")
                else:
                    targets.add(base)
                    if alias.name.startswith("_") and alias.name != "__version__":
                        private.append((name, base, alias.name))
        edges[name] = {t for t in targets if t in known and t != name}
    return edges, private


def cycles(edges: dict[str, set[str]]) -> list[set[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[set[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = set()
            while True:
                w = stack.pop()
                component.add(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(component)

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def test_dependencies_point_one_way():
    edges, _ = graph()
    against = [(a, b) for a, targets in edges.items() for b in targets
               if LAYER[b.split(".")[0]] > LAYER[a.split(".")[0]] and a not in ENTRY_POINTS]
    assert against == []


def test_no_private_name_is_imported_from_another_module():
    _, private = graph()
    assert private == []


def private_attributes(path: Path, known: set[str]) -> list[str]:
    """Every `module._name` in a file where `module` is a project module it imported (`import
    kpi.totals`, `import kpi.totals as t`, `from kpi import totals`): a private name read through
    the module instead of imported, which the import check above does not see."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    bound: dict[str, str] = {}  # the name in this file -> the project module it stands for
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in known:
                    bound[alias.asname or alias.name] = alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                if f"{node.module}.{alias.name}" in known:
                    bound[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    found = []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__")
                and bound.get(ast.unparse(node.value)) in known):
            shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name
            found.append(f"{shown}:{node.lineno}: {ast.unparse(node)}")
    return found


def test_no_private_name_is_read_through_another_module():
    """The modules and the benchmarks (bench/, which use the engine as a library): a benchmark that
    read a renamed private helper this way stopped running without a test noticing."""
    known = modules()
    files = [*known.values(), *sorted((ROOT / "bench").glob("*.py"))]
    assert [hit for path in files for hit in private_attributes(path, set(known))] == []


def test_the_private_read_check_sees_each_way_of_importing_a_module(tmp_path):
    script = tmp_path / "probe.py"
    script.write_text("import kpi.totals\nimport kpi.query as q\nfrom kpi import sources\n"
                      "kpi.totals._x, q._y, sources._z, sources.public, q.__name__\n", encoding="utf-8")
    assert private_attributes(script, set(modules())) == [
        "probe.py:4: kpi.totals._x", "probe.py:4: q._y", "probe.py:4: sources._z"]


def test_no_import_cycles_but_the_known_ones_still_to_break():
    found = cycles(graph()[0])
    assert [c for c in found if c not in KNOWN_CYCLES] == []
    assert [c for c in KNOWN_CYCLES if c not in found] == [], "a known cycle is broken: take it off the list"


def _in_pages(module: str) -> bool:
    return module == "dashboard.pages" or module.startswith("dashboard.pages.")


def test_pages_are_leaves():
    """Only app.py (which registers them) and other pages import a page: whatever a page holds that
    something else needs (a builder, a link) belongs outside dashboard/pages/."""
    edges, _ = graph()
    into_pages = sorted((a, b) for a, targets in edges.items() for b in targets
                        if _in_pages(b) and not _in_pages(a) and a != "app")
    assert into_pages == []


def sqlalchemy_imports(tree: ast.AST) -> list[str]:
    """What a module imports from sqlalchemy besides its exceptions (`sqlalchemy.exc`). Every import
    counts here, type-checking ones too: the dashboard has no use for sqlalchemy but catching a
    database failure."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names
                      if a.name.split(".")[0] == "sqlalchemy" and a.name != "sqlalchemy.exc"]
        elif isinstance(node, ast.ImportFrom) and not node.level and (node.module or "").split(".")[0] == "sqlalchemy":
            if node.module == "sqlalchemy":
                found += [f"sqlalchemy.{a.name}" for a in node.names if a.name != "exc"]
            elif node.module != "sqlalchemy.exc":
                found += [f"{node.module}.{a.name}" for a in node.names]
    return found


def test_the_dashboard_runs_no_sql():
    """data/ owns the SQL (data/programme/ that on the programme tables); a dashboard module imports
    from sqlalchemy only exception classes, to catch a database failure."""
    found = [(name, imported) for name, path in modules().items() if name.split(".")[0] == "dashboard"
             for imported in sqlalchemy_imports(ast.parse(path.read_text(encoding="utf-8")))]
    assert found == []


def test_the_graph_sees_imports_inside_functions_and_skips_type_checking(tmp_path):
    tree = ast.parse("def f():\n    from kpi import query\nif TYPE_CHECKING:\n    import data.schema\n"
                     "if __name__ == '__main__':\n    import app\n")
    assert [ast.unparse(n) for n in _imports(tree)] == ["from kpi import query"]
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [{"a", "b", "c"}]


def test_the_sqlalchemy_rule_lets_through_only_exceptions():
    tree = ast.parse("from sqlalchemy.exc import SQLAlchemyError\nfrom sqlalchemy import exc\nimport sqlalchemy.exc\n"
                     "from sqlalchemy import Engine, select\nimport sqlalchemy\n"
                     "if TYPE_CHECKING:\n    from sqlalchemy.orm import Session\n")
    assert sqlalchemy_imports(tree) == ["sqlalchemy.Engine", "sqlalchemy.select", "sqlalchemy",
                                        "sqlalchemy.orm.Session"]
