"""Dependencies point one way: cli/web -> app -> ingest, search -> archive.

Read from the source with `ast` (every import, also those inside functions), so a
lazy import cannot hide a wrong direction.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "konfarkiv"
#: The command line: cli.py and its command modules beside it (cli_common, cli_search, …).
CLI = tuple(f"konfarkiv.{p.stem}" for p in sorted(PACKAGE.glob("cli*.py")))
#: Modules above the library: nothing below may import them.
TOP = (*CLI, "konfarkiv.render", "konfarkiv.web", "konfarkiv.app")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(source: str, module: str, *, is_package: bool = False) -> set[str]:
    """Every module the source of `module` imports, absolute (relative imports resolved)."""
    here = module.split(".")
    package = here if is_package else here[:-1]
    out: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package[:len(package) - node.level + 1] + ([base] if base else []))
            out.add(base)
            out.update(f"{base}.{alias.name}" for alias in node.names)
    return out


def modules() -> dict[str, set[str]]:
    return {module_name(p): imports(p.read_text(encoding="utf-8"), module_name(p),
                                    is_package=p.name == "__init__.py")
            for p in sorted(PACKAGE.rglob("*.py"))}


def within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def wrong_in(graph: dict[str, set[str]], importer_prefix: str,
             forbidden: tuple[str, ...]) -> list[str]:
    """"a imports b" for each module under importer_prefix importing a forbidden one."""
    return sorted(f"{mod} imports {imp}" for mod, imps in graph.items()
                  if within(mod, importer_prefix) for imp in imps
                  if any(within(imp, f) for f in forbidden))


def wrong(importer_prefix: str, forbidden: tuple[str, ...]) -> list[str]:
    return wrong_in(modules(), importer_prefix, forbidden)


def test_the_import_reader_sees_lazy_and_relative_imports():
    """The checker itself: imports inside a function and relative ones count too."""
    source = ("def f():\n    from konfarkiv.search.index import rebuild\n"
              "    from ..ingest import run\n")
    found = imports(source, "konfarkiv.archive.x")
    assert {"konfarkiv.search.index", "konfarkiv.ingest", "konfarkiv.ingest.run"} <= found
    assert wrong_in({"konfarkiv.archive.x": found}, "konfarkiv.archive", ("konfarkiv.search",))


def test_archive_imports_nothing_else_of_konfarkiv():
    others = tuple(f"konfarkiv.{p.stem if p.is_file() else p.name}"
                   for p in PACKAGE.iterdir()
                   if (p.suffix == ".py" or (p.is_dir() and (p / "__init__.py").exists()))
                   and p.stem not in ("__init__", "archive"))
    assert others, "no other modules found: the reader is broken"
    assert wrong("konfarkiv.archive", others) == []


def test_the_archivists_use_cases_import_only_the_archive():
    """konfarkiv.curate (edit, remove, show, export, bag, verify, review, overview) is built
    on archive alone: never on ingest, search, the web, the command line or app."""
    graph = modules()
    assert any(within(m, "konfarkiv.curate") for m in graph), "no curate package found"
    others = tuple(f"konfarkiv.{p.stem if p.is_file() else p.name}"
                   for p in PACKAGE.iterdir()
                   if (p.suffix == ".py" or (p.is_dir() and (p / "__init__.py").exists()))
                   and p.stem not in ("__init__", "archive", "curate"))
    assert "konfarkiv.ingest" in others and "konfarkiv.cli" in others
    assert wrong_in(graph, "konfarkiv.curate", others) == []
    assert wrong_in({"konfarkiv.curate.x": {"konfarkiv.search.query"}}, "konfarkiv.curate",
                    others), "the rule sees a wrong import"


@pytest.mark.parametrize(("lower", "other"), [("konfarkiv.ingest", "konfarkiv.search"),
                                              ("konfarkiv.search", "konfarkiv.ingest")])
def test_ingest_and_search_never_import_each_other(lower, other):
    assert wrong(lower, (other,)) == []


@pytest.mark.parametrize("lower", ["konfarkiv.archive", "konfarkiv.ingest", "konfarkiv.search"])
def test_the_library_never_imports_the_layers_above_it(lower):
    assert wrong(lower, TOP) == []


def test_only_cli_imports_click():
    """click belongs to the command line: cli.py and the cli_* modules it registers."""
    users = sorted(mod for mod, imps in modules().items()
                   if any(within(i, "click") for i in imps))
    assert "konfarkiv.cli" in CLI and len(CLI) > 1, "the command modules were not found"
    assert users and set(users) <= set(CLI)


#: A statement as konfarkiv writes them (keywords in capitals), not prose like "Drop a value".
SQL_START = re.compile(r"^\s*(SELECT\s|INSERT\s+(OR\s+\w+\s+)?INTO\s|UPDATE\s+\w+\s+SET\s|"
                       r"DELETE\s+FROM\s|PRAGMA\s|CREATE\s+(TABLE|INDEX|TRIGGER)\s)")
#: Packages and modules that must leave SQL to the catalog (archive/ owns it).
NO_SQL = ("konfarkiv.ingest", "konfarkiv.search", "konfarkiv.app", *CLI,
          "konfarkiv.render", "konfarkiv.web", "konfarkiv.curate")


def sql_strings(source: str) -> list[str]:
    """String constants that read as SQL statements."""
    return [node.value for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and SQL_START.match(node.value)]


def test_the_sql_reader_finds_statements():
    assert sql_strings('db.execute("SELECT id FROM events WHERE x=?", ())\nlabel = "Select"\n') == [
        "SELECT id FROM events WHERE x=?"]


def test_no_sql_outside_the_archive():
    found = sorted(f"{module_name(p)}: {s[:60]!r}" for p in sorted(PACKAGE.rglob("*.py"))
                   if any(within(module_name(p), m) for m in NO_SQL)
                   for s in sql_strings(p.read_text(encoding="utf-8")))
    assert found == []


BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def module_edges(root: Path, *, flat: bool = False) -> dict[str, set[str]]:
    """Module -> the modules of the same tree it imports (lazy ones too). `from p import x`
    counts as importing p.x when that is a module, else p; flat: scripts that import each
    other by bare name from their own folder (benchmarks/)."""
    files = {(p.stem if flat else module_name(p)): p for p in sorted(root.rglob("*.py"))}
    edges: dict[str, set[str]] = {}
    for name, path in files.items():
        package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        out: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                out.update(alias.name for alias in node.names if alias.name in files)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    kept = package[:len(package) - node.level + 1]
                    base = ".".join(kept + ([base] if base else []))
                for alias in node.names:
                    full = f"{base}.{alias.name}"
                    out.update([full] if full in files else [base] if base in files else [])
        edges[name] = out - {name}
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Every group of modules that import each other, directly or round a loop."""
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:  # Tarjan's strongly connected components
        order[v] = low[v] = len(order)
        stack.append(v)
        for w in sorted(edges.get(v, ())):
            if w not in order:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], order[w])
        if low[v] == order[v]:
            group = []
            while not group or group[-1] != v:
                group.append(stack.pop())
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(edges):
        if v not in order:
            visit(v)
    return found


def test_the_cycle_finder_finds_loops_of_any_length():
    assert cycles({"a": {"b"}, "b": {"a"}, "c": {"a"}}) == [["a", "b"]]
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []
    source = "def f():\n    from .index import open_dir\n"
    tree = {"konfarkiv.search.x": source, "konfarkiv.search.index": "from . import x\n"}
    edges = {m: {i for i in imports(s, m) if i in tree} for m, s in tree.items()}
    assert cycles(edges) == [["konfarkiv.search.index", "konfarkiv.search.x"]]


def test_no_import_cycles_in_the_package_or_the_benchmarks():
    package = module_edges(PACKAGE)
    assert len(package) > 50 and any(package.values()), "the reader found no imports"
    assert cycles(package) == []
    assert cycles(module_edges(BENCHMARKS, flat=True)) == []
