""":mod:`rhetoric.yamlfile`: safe YAML that remembers line numbers.

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

import yaml

from rhetoric.errors import Problem, RhetoricInputError, display_path

__all__ = ["LineDict", "LineList", "load_yaml", "parse_yaml"]

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


def parse_yaml(text: str, *, source: str, line_offset: int = 0) -> object:
    """Parse YAML ``text``; errors name ``source`` and the line (plus ``line_offset``)."""
    try:
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
    """Read and parse a UTF-8 YAML file (see the module docstring for what is refused)."""
    source = display_path(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise RhetoricInputError(Problem(source, "file not found")) from None
    except IsADirectoryError:
        raise RhetoricInputError(Problem(source, "is a directory, expected a YAML file")) from None
    except UnicodeDecodeError as exc:
        raise RhetoricInputError(
            f"{source}: not UTF-8 text (byte {exc.start}); save it as UTF-8"
        ) from None
    return parse_yaml(text, source=source)
