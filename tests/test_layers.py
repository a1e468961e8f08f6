"""The package's folders are layers: no module imports one above it, and no import cycles."""

from __future__ import annotations

from conftest import parsed_imports
from rhetoric.store import cache, paths

#: Bottom to top (README, "Layout"). A module may import its own layer and those below.
LAYERS = {
    "errors": 0,
    "store": 1,
    "text": 2,
    "data": 3,
    "corpus": 4,
    "measures": 5,  # pure functions of a Corpus: they never read a data folder
    "pipeline": 6,
    "export": 6,
    "study": 7,
    "cli": 8,
    "_entry": 9,
    "__main__": 9,
}


def _modules() -> dict[str, set[str]]:
    """Each package module (by name) and the package modules its source imports."""
    found = {}
    for path in sorted(paths.PACKAGE_DIR.rglob("*.py")):
        parts = path.relative_to(paths.PACKAGE_DIR).with_suffix("").parts
        name = ".".join(("rhetoric", *parts)).removesuffix(".__init__")
        imported = parsed_imports(path.read_text(encoding="utf-8"))  # Python's own parser
        found[name] = {m for m in imported if cache._module_file(m) is not None} - {name}
    return found


def _layer(module: str) -> int | None:
    parts = module.split(".")
    if parts[-1] == "__main__":  # python -m rhetoric, python -m rhetoric.cli: the entry point
        return LAYERS["__main__"]
    return LAYERS[parts[1]] if len(parts) > 1 else None


def test_imports_are_absolute():
    # the cache keys and these tests read imports from the source: no relative ones
    import ast

    relative = [
        f"{path.name}:{node.lineno}"
        for path in paths.PACKAGE_DIR.rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ImportFrom) and node.level
    ]
    assert relative == []


def test_every_module_is_in_a_layer():
    assert all(_layer(m) is not None for m in _modules() if m != "rhetoric")


def test_no_import_runs_up_a_layer():
    upward = [
        f"{module} imports {other}"
        for module, imports in _modules().items()
        for other in imports
        if module != "rhetoric" and (_layer(other) or 0) > (_layer(module) or 0)
    ]
    assert upward == []


def test_no_import_cycles():
    graph = _modules()
    graph["rhetoric"] = set()  # its names are looked up lazily, by string, on first use
    # a module's package runs before it: a package importing its own modules is no cycle
    edges = {m: {o for o in imports if not m.startswith(o + ".")} for m, imports in graph.items()}
    state: dict[str, int] = {}
    cycles = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for other in sorted(edges.get(node, ())):
            if state.get(other) == 1:
                cycles.append(" -> ".join([*trail[trail.index(other) :], other]))
            elif other not in state:
                visit(other, [*trail, other])
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node, [node])
    assert cycles == []


def test_the_store_and_the_text_stages_know_nothing_above_them():
    # the cache key of the tokens must not change when a measure or a notebook helper does
    low = [m for m in _modules() if m.startswith(("rhetoric.store", "rhetoric.text"))]
    for module in low:
        closure = cache.code_closure(module)
        above = [p for p in closure if p.relative_to(paths.PACKAGE_DIR).parts[0] in
                 ("measures", "study", "cli", "data", "corpus.py", "pipeline.py")]  # fmt: skip
        assert above == [], module


def test_the_package_surface_is_documented_and_loads_on_first_use():
    import subprocess
    import sys

    import rhetoric

    assert set(rhetoric.__all__) == {"__version__", *rhetoric._EXPORTS, *rhetoric._MODULES}
    for name in rhetoric.__all__:
        assert getattr(rhetoric, name) is not None
        assert (
            name == "__version__"
            or f":func:`{name}`" in rhetoric.__doc__
            or (f":class:`{name}`" in rhetoric.__doc__ or f":mod:`{name}`" in rhetoric.__doc__)
        ), name
    # importing the package imports nothing heavy
    code = (
        "import sys, rhetoric; print(sorted(m for m in ('pandas', 'numpy') if m in sys.modules))"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[]"


def test_no_name_loaded_on_first_use_is_also_a_module_of_its_package():
    # once rhetoric.measures.x is imported, the package's attribute x is that module, and a
    # function of the same name could no longer be imported from the package
    import rhetoric
    from rhetoric import measures

    for package, names in ((rhetoric, rhetoric._EXPORTS), (measures, measures._EXPORTS)):
        folder = paths.PACKAGE_DIR.joinpath(*package.__name__.split(".")[1:])
        modules = {p.stem for p in folder.glob("*.py")} | {p.name for p in folder.iterdir()}
        assert not set(names) & modules, package.__name__
