"""Every public function says, in numpydoc sections, what it takes and what it gives back.

Public: a function a module names in ``__all__``, and the public methods of a class
it names there. Its docstring has a ``Parameters`` section naming each of its
parameters (``self`` and ``cls`` aside) when it has any, and a ``Returns`` (or
``Yields``) section unless it is annotated ``-> None``. The style guide asks for
this (numpydoc, as scikit-learn's ``text.py``); ``make docs`` renders them.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re

import pytest

import rhetoric

_SKIPPED = ("rhetoric._entry",)


def _module_names() -> list[str]:
    found = [m.name for m in pkgutil.walk_packages(rhetoric.__path__, "rhetoric.")]
    kept = sorted(n for n in found if not n.endswith("__main__") and n not in _SKIPPED)
    return ["rhetoric", *kept]


def _public_functions(module) -> list[tuple[str, object]]:
    """(name, function) of each public function of ``module`` (the module docstring)."""
    found = []
    for name in getattr(module, "__all__", []):
        value = getattr(module, name, None)
        if inspect.isfunction(value) and value.__module__ == module.__name__:
            found.append((name, value))
        elif inspect.isclass(value) and value.__module__ == module.__name__:
            for attribute, member in vars(value).items():
                if attribute.startswith("_"):
                    continue
                if isinstance(member, classmethod | staticmethod):
                    member = member.__func__
                if inspect.isfunction(member):
                    found.append((f"{name}.{attribute}", member))
    return found


def _section(doc: str, title: str) -> str | None:
    """The text of a numpydoc section (to the next section or the end), or None."""
    match = re.search(rf"^{title}\n-{{{len(title)}}}\n(.*?)(?=^\w[\w ]*\n-+\n|\Z)", doc,
                      re.MULTILINE | re.DOTALL)  # fmt: skip
    return match.group(1) if match else None


def _documented_names(section: str) -> set[str]:
    """Names of the entries of a Parameters section (``a, b : int`` names two)."""
    names = set()
    for line in section.splitlines():
        if line and not line[0].isspace():
            head = line.split(" : ")[0]
            names.update(part.strip().lstrip("*") for part in head.split(","))
    return names


def problems_of(function) -> list[str]:
    """What the docstring of ``function`` lacks (empty if nothing)."""
    doc = inspect.getdoc(function) or ""
    signature = inspect.signature(function)
    wanted = [name for name in signature.parameters if name not in ("self", "cls")]
    found = []
    section = _section(doc, "Parameters")
    if wanted and section is None:
        found.append("no Parameters section")
    elif wanted:
        missing = [name for name in wanted if name not in _documented_names(section)]
        if missing:
            found.append(f"Parameters does not name {', '.join(missing)}")
    returns_none = signature.return_annotation in ("None", None)
    if not returns_none and _section(doc, "Returns") is None and _section(doc, "Yields") is None:
        found.append("no Returns section")
    return found


@pytest.mark.parametrize("module_name", _module_names())
def test_public_functions_have_numpydoc_sections(module_name):
    module = importlib.import_module(module_name)
    lacking = {name: problems for name, function in _public_functions(module)
               if (problems := problems_of(function))}  # fmt: skip
    assert lacking == {}


def test_the_check_finds_what_is_missing():
    def documented(corpus, *, by="dyad"):
        """Rates.

        Parameters
        ----------
        corpus : Corpus
            The corpus.
        by : str, default "dyad"
            A column.

        Returns
        -------
        DataFrame
            One row per group.
        """

    def half(corpus, top=3):
        """Rates.

        Parameters
        ----------
        corpus : Corpus
        """

    def nothing(path) -> None:
        """Writes."""

    assert problems_of(documented) == []
    assert problems_of(half) == ["Parameters does not name top", "no Returns section"]
    assert problems_of(nothing) == ["no Parameters section"]
