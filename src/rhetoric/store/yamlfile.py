""":mod:`rhetoric.store.yamlfile`: safe YAML that remembers line numbers.

All YAML the project reads (themes.yml, boilerplate.yml, parties.yml, a
statement's front matter) goes through :func:`load_yaml`:

- only the safe subset: a tag such as ``!!python/object`` is refused, never run;
- dates stay strings (``2025-02-30`` is reported as an impossible date by the
  caller, instead of crashing the parser);
- a duplicate key is an error, not a silent overwrite;
- mappings and lists remember the line of each entry, so errors can say
  "themes.yml: theme 'trust' has no terms (line 4)".
"""

from __future__ import annotations

from pathlib import Path
import re

import yaml

from rhetoric.errors import Problem, RhetoricInputError, display_path
from rhetoric.store.inputs import read_text

__all__ = ["MAX_DEPTH", "MAX_NUMBER_CHARS", "LineDict", "LineList", "load_yaml", "parse_yaml"]

_TIMESTAMP = "tag:yaml.org,2002:timestamp"


class LineDict(dict):
    """A dict with ``line`` (1-based line of the mapping) and ``lines`` (line of each key)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.line = 0
        self.lines: dict = {}


class LineList(list):
    """A list with ``line`` (1-based) and ``lines`` (line of each item)."""

    def __init__(self, *args):
        super().__init__(*args)
        self.line = 0
        self.lines: list = [0] * len(self)


class _Loader(yaml.SafeLoader):
    pass


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != _TIMESTAMP]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _DuplicateKey(yaml.MarkedYAMLError):
    pass


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    out = LineDict()
    out.line = node.start_mark.line + 1
    out.lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            raise _DuplicateKey(
                problem="a key must be a plain value", problem_mark=key_node.start_mark
            ) from None
        if key in out:
            raise _DuplicateKey(problem=f"duplicate key {key!r}", problem_mark=key_node.start_mark)
        out[key] = loader.construct_object(value_node, deep=True)
        out.lines[key] = key_node.start_mark.line + 1
    return out


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> LineList:
    out = LineList(loader.construct_object(child, deep=True) for child in node.value)
    out.line = node.start_mark.line + 1
    out.lines = [child.start_mark.line + 1 for child in node.value]
    return out


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


#: Deepest nesting of lists and mappings read (themes.yml needs three levels).
MAX_DEPTH = 20
#: Longest number read, in characters (beyond it a number is a mistake or an attack).
MAX_NUMBER_CHARS = 30
_NUMBER = re.compile(r"[-+]?(0[xob])?[0-9a-fA-F_.]+([eE][-+]?[0-9]+)?")


def _refusal(event, message: str) -> tuple[str, int]:
    return message, event.start_mark.line + 1


def _bounded(text: str) -> tuple[str, int] | None:
    """Why ``text`` is not read, from its YAML events (before anything is built): an anchor
    or alias (``&x``/``*x``: they let a few lines expand to gigabytes), a tag (``!!...``),
    nesting deeper than :data:`MAX_DEPTH`, a number longer than :data:`MAX_NUMBER_CHARS`, or
    a lone surrogate (text that no file can hold), with its line; None when it is plain YAML."""
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            return _refusal(event, "YAML anchors and aliases (&name, *name) are not read; "
                            "write the value out (a glob that starts with '*' goes in quotes: "
                            "\"*trust\")")  # fmt: skip
        tag = getattr(event, "tag", None)
        if tag not in (None, "!"):
            shown = tag.replace("tag:yaml.org,2002:", "!!")
            return _refusal(event, f"unsafe or unknown YAML tag {shown}; only plain YAML is read")
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                return _refusal(event, f"nested more than {MAX_DEPTH} levels deep")
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        elif isinstance(event, yaml.ScalarEvent):
            value = event.value
            if event.style is None and len(value) > MAX_NUMBER_CHARS and _NUMBER.fullmatch(value):
                return _refusal(event, f"a number of {len(value)} characters; write it in quotes "
                                "if it is text")  # fmt: skip
            if any("\ud800" <= ch <= "\udfff" for ch in value):
                return _refusal(event, "a lone surrogate escape (\\ud800-\\udfff) is not text")
    return None


def parse_yaml(text: str, *, source: str, line_offset: int = 0) -> object:
    """Parse YAML ``text``; errors name ``source`` and the line (plus ``line_offset``).

    Parameters
    ----------
    text : str
        The YAML.
    source : str
        What the text is, as errors name it (a file as shown to the user).
    line_offset : int, default 0
        Added to the line numbers of errors, for text that starts below line 1 of its file.

    Returns
    -------
    object
        The value: a :class:`LineDict` for a mapping, a :class:`LineList` for a list
        (their lines count from the start of ``text``, without ``line_offset``), or a
        ``str``, ``int``, ``float``, ``bool`` or None; None for empty text.

    Raises
    ------
    RhetoricInputError
        For text that is not valid YAML or is refused (module docstring), with its line
        where known.
    """
    try:
        refused = _bounded(text)
        if refused is not None:
            message, line = refused[0], refused[1] + line_offset
            raise RhetoricInputError(Problem(source, f"{message} (line {line})", line))
        return yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 + line_offset if mark is not None else None
        where = f" (line {line})" if line is not None else ""
        problem = exc.problem or exc.context or "not valid YAML"
        if isinstance(exc, yaml.constructor.ConstructorError) and "tag" in problem:
            tag = problem.split("tag", 1)[1].strip().strip("'").replace("tag:yaml.org,2002:", "!!")
            problem = f"unsafe or unknown YAML tag {tag}; only plain YAML is read"
        raise RhetoricInputError(Problem(source, f"{problem}{where}", line)) from None
    except yaml.YAMLError as exc:
        raise RhetoricInputError(Problem(source, f"not valid YAML ({exc})")) from None


def load_yaml(path: Path) -> object:
    """Read and parse a UTF-8 YAML file (see the module docstring for what is refused).

    Parameters
    ----------
    path : pathlib.Path
        The file (:func:`rhetoric.store.inputs.read_text`); once symbolic links are
        followed, it must lie in the folder it is named in.

    Returns
    -------
    object
        The value, as :func:`parse_yaml` returns it (errors name the file).
    """
    text = read_text(path, within=path.parent, what="a YAML file")
    return parse_yaml(text, source=display_path(path))
