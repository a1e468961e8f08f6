""":mod:`rhetoric.pipeline`: run the text stages over a corpus, caching per document.

``raw text -> clean (audit kept) -> sentences -> tokens (+ stems, voice) -> theme hits``

:func:`process_corpus` returns a :class:`rhetoric.corpus.Corpus` holding every table
the measures need. Two kinds of entry in the cache (:mod:`rhetoric.store.cache`)
save time on a re-run:

- ``tokens``: each document's tokens, keyed by its cleaned text and the
  tokenizer's code, stored a batch per call, so that adding one statement
  tokenizes only that statement;
- ``corpus``: the tables of the whole corpus as Arrow
  (:meth:`rhetoric.corpus.Corpus.to_arrow`), keyed by every input file and the
  code of every stage.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from itertools import chain
from pathlib import Path
import tempfile

import numpy as np
import pandas as pd
import pyarrow as pa

from rhetoric.corpus import TABLES, VOICES, Corpus, categorical
from rhetoric.data.folder import data_lock, load_corpus, write_data_folder
from rhetoric.data.kinds import Kinds, load_kinds
from rhetoric.data.outlets import load_outlets
from rhetoric.data.parties import load_parties
from rhetoric.errors import RhetoricInputError
from rhetoric.store import cache, parallel, paths
from rhetoric.store.inputs import input_bytes
from rhetoric.text.clean import (
    Boilerplate,
    clean_corpus_checked,
    load_boilerplate,
    with_outlet_names,
)
from rhetoric.text.reprints import ReprintRule, declared_reprints, settle
from rhetoric.text.themes import load_themes, match_themes
from rhetoric.text.tokens import DocTokens, rules_language, stem, tokenize_document
from rhetoric.text.versions import chosen_versions, statements

__all__ = ["process_corpus", "process_dataframe", "tokenize_texts", "tokens_frame"]

#: Below this many characters to tokenize, a process pool costs more than it saves.
_POOL_MIN_CHARS = 2_000_000


# -- tokens of each document, cached in batches ---------------------------------------------

#: Token arrays and sentence arrays of :class:`rhetoric.text.tokens.DocTokens`, as stored.
_TOKEN_FIELDS = ("start", "end", "sentence", "paragraph", "quoted", "after_punct", "codes")
_SENTENCE_FIELDS = ("sentence_start", "sentence_end")
#: Token batches kept in the cache (the most recently written); older ones are deleted.
_TOKEN_BATCHES_KEPT = 16


def _token_key(text: str, language: str) -> str:
    return cache.key("tokens", text, rules_language(language), code=tokenize_document.__module__)


def _lists(parts: list[np.ndarray]) -> pa.LargeListArray:
    """Arrays of one field, one per document, as one Arrow column of lists."""
    offsets = np.cumsum([0] + [len(part) for part in parts], dtype=np.int64)
    return pa.LargeListArray.from_arrays(offsets, pa.array(np.concatenate(parts)))


def _batch_table(keys: list[str], docs: list[DocTokens]) -> pa.Table:
    """Several documents' tokens as one table: a row per document, each field a list."""
    columns = {"key": pa.array(keys, pa.string())}
    for name in (*_TOKEN_FIELDS, *_SENTENCE_FIELDS):
        columns[name] = _lists([getattr(doc, name) for doc in docs])
    columns["types"] = pa.array([list(doc.types) for doc in docs],
                                pa.large_list(pa.large_string()))  # fmt: skip
    return pa.table(columns)


def _rows(column: pa.ChunkedArray) -> list[np.ndarray]:
    """A column of lists as one array per row."""
    lists = column.combine_chunks()
    offsets = lists.offsets.to_numpy()
    values = lists.flatten().to_numpy(zero_copy_only=False)
    return np.split(values, offsets[1:-1] - offsets[0])


def _batch_docs(tables: dict[str, pa.Table]) -> dict[str, DocTokens]:
    """The documents of a batch by key (empty if the entry is not a token batch)."""
    try:
        batch = tables["batch"]
        fields = {name: _rows(batch.column(name)) for name in (*_TOKEN_FIELDS, *_SENTENCE_FIELDS)}
        types = batch.column("types").to_pylist()
        return {key: DocTokens(**{name: rows[i] for name, rows in fields.items()},
                               types=tuple(types[i]))
                for i, key in enumerate(batch.column("key").to_pylist())}  # fmt: skip
    except Exception:  # noqa: BLE001 - an entry of another layout: tokenize again
        return {}


def _cached_tokens(keys: set[str]) -> dict[str, DocTokens]:
    """Tokens of those of ``keys`` that some stored batch holds."""
    found: dict[str, DocTokens] = {}
    for tables in cache.entries("tokens"):
        if found.keys() >= keys:
            break
        found.update({k: doc for k, doc in _batch_docs(tables).items() if k in keys})
    return found


def tokenize_texts(
    texts: Mapping[str, str],
    *,
    languages: Mapping[str, str] | None = None,
    workers: int | None = None,
    use_cache: bool = True,
) -> tuple[dict[str, DocTokens], int]:
    """Tokenize texts (by id), from the cache where possible.

    Parameters
    ----------
    texts : mapping of str to str
        Cleaned texts by document id.
    languages : mapping of str to str, optional
        Each text's language by id (ISO 639; :func:`rhetoric.text.tokens.rules_language`
        picks the rules); a text not in it, or all when None, is English.
    workers : int, optional
        Processes for the documents not in the cache (default: all cores when there
        is enough text to pay for a pool, else 1). The result is identical whatever
        the number of workers.
    use_cache : bool, default True
        Read and store token batches in the cache (:mod:`rhetoric.store.cache`).

    Returns
    -------
    tuple
        ``(tokens, tokenized)``: the :class:`rhetoric.text.tokens.DocTokens` of each
        text by id (in the order of ``texts``), and how many texts were tokenized
        (not found in the cache).
    """
    language_of = {d: (languages or {}).get(d, "en") for d in texts}
    keys = {doc_id: _token_key(text, language_of[doc_id]) for doc_id, text in texts.items()}
    cached = _cached_tokens(set(keys.values())) if use_cache else {}
    todo = [doc_id for doc_id in texts if keys[doc_id] not in cached]
    workers = parallel.worker_count(
        workers, sum(len(texts[doc_id]) for doc_id in todo), _POOL_MIN_CHARS, len(todo)
    )
    pieces = [(texts[d], rules_language(language_of[d])) for d in todo]
    done = dict(zip(todo, parallel.map_pieces(tokenize_document, pieces, workers=workers),
                    strict=True))  # fmt: skip
    if use_cache and done:
        batch = [keys[d] for d in done]
        cache.store("tokens", cache.key("token-batch", *batch, code=tokenize_document.__module__),
                    {"batch": _batch_table(batch, list(done.values()))},
                    keep=_TOKEN_BATCHES_KEPT)  # fmt: skip
    result = {d: done[d] if d in done else cached[keys[d]] for d in texts}
    return result, len(todo)


# -- corpus-wide tables ----------------------------------------------------------------


#: Below this many distinct words, stemming on one process is faster than starting a pool.
_POOL_MIN_TYPES = 20_000


def _stem_all(words: list[str]) -> list[str]:
    return [stem(w) for w in words]


def _stem_vocabulary(types: list[str], workers: int | None = None) -> list[str]:
    """The stem of each word (NLTK's Snowball is pure Python: ~13 µs a word), in chunks on a
    pool when the vocabulary is large; the same stems either way."""
    workers = parallel.worker_count(workers, len(types), _POOL_MIN_TYPES, 2)
    if workers <= 1:
        return _stem_all(types)
    size = -(-len(types) // workers)
    chunks = [(types[i : i + size],) for i in range(0, len(types), size)]
    return [s for part in parallel.map_pieces(_stem_all, chunks, workers=workers) for s in part]


def _join(docs: Mapping[str, DocTokens], name: str, dtype) -> np.ndarray:
    arrays = [getattr(doc, name).astype(dtype, copy=False) for doc in docs.values()]
    return np.concatenate(arrays) if arrays else np.zeros(0, dtype=dtype)


def _vocabulary(docs: Mapping[str, DocTokens]) -> tuple[list[str], np.ndarray]:
    """One vocabulary for all documents (in order of first appearance), and each token's code."""
    every_type = list(chain.from_iterable(doc.types for doc in docs.values()))
    types = list(dict.fromkeys(every_type))
    code_of = dict(zip(types, range(len(types)), strict=True))
    mapping = np.fromiter(map(code_of.__getitem__, every_type), np.int32, len(every_type))
    type_offsets = np.cumsum([0] + [len(doc.types) for doc in docs.values()])[:-1]
    local = [doc.codes + off for doc, off in zip(docs.values(), type_offsets, strict=True)]
    lower_codes = mapping[np.concatenate(local)] if local else np.zeros(0, dtype=np.int32)
    return types, lower_codes


def tokens_frame(docs: Mapping[str, DocTokens], *, workers: int | None = None) -> pd.DataFrame:
    """One table of the word tokens of all documents.

    Parameters
    ----------
    docs : mapping of str to DocTokens
        Each document's tokens by id, in corpus order (:func:`tokenize_texts`).
    workers : int, optional
        Processes for stemming a large vocabulary (the same stems either way).

    Returns
    -------
    pandas.DataFrame
        The columns of :attr:`rhetoric.corpus.Corpus.tokens`, one row per word token.
    """
    ids, lengths = list(docs), np.asarray([len(doc) for doc in docs.values()], dtype=np.int64)
    types, lower = _vocabulary(docs)
    stem_of_lower, stem_types = pd.factorize(pd.Index(_stem_vocabulary(types, workers),
                                                      dtype=object), sort=False)  # fmt: skip
    position = (np.arange(int(lengths.sum()), dtype=np.int32)
                - np.repeat(np.cumsum(lengths) - lengths, lengths).astype(np.int32))  # fmt: skip
    stem_codes = np.asarray(stem_of_lower, dtype=np.int64)[lower] if len(lower) else lower
    return pd.DataFrame(
        {
            "document": categorical(np.repeat(np.arange(len(ids), dtype=np.int32), lengths), ids),
            "position": position,
            "sentence": _join(docs, "sentence", np.int32),
            "paragraph": _join(docs, "paragraph", np.int32),
            "start": _join(docs, "start", np.int32),
            "end": _join(docs, "end", np.int32),
            "lower": categorical(lower, types),
            "stem": categorical(stem_codes, list(stem_types)),
            "voice": categorical(_join(docs, "quoted", np.int8), list(VOICES)),
            "after_punct": _join(docs, "after_punct", bool),
        },
        copy=False,  # the arrays are new: no need for pandas to copy them again
    )


def _sentence_table(ids, counts, start, end, tokens) -> pd.DataFrame:
    counts = np.asarray(counts, dtype=np.int64)
    sentence = (np.arange(int(counts.sum()), dtype=np.int32)
                - np.repeat(np.cumsum(counts) - counts, counts).astype(np.int32))  # fmt: skip
    return pd.DataFrame(
        {
            "document": categorical(np.repeat(np.arange(len(ids), dtype=np.int32), counts), ids),
            "sentence": sentence,
            "start": np.asarray(start, dtype=np.int64),
            "end": np.asarray(end, dtype=np.int64),
            "tokens": np.asarray(tokens, dtype=np.int64),
        }
    )


def _sentences_frame(docs: Mapping[str, DocTokens]) -> pd.DataFrame:
    """One row per sentence, with its word tokens (each token's sentence indexes its document's)."""
    counts = [len(doc.sentence_start) for doc in docs.values()]
    sizes = [
        np.bincount(d.sentence, minlength=c)[:c]
        for d, c in zip(docs.values(), counts, strict=True)
    ]
    return _sentence_table(list(docs), counts, _join(docs, "sentence_start", np.int64),
                           _join(docs, "sentence_end", np.int64),
                           np.concatenate(sizes) if sizes else np.zeros(0, np.int64))  # fmt: skip


# -- the whole corpus, processed ---------------------------------------------------------

#: Corpus-level tables kept in the cache (the most recently written); older ones are deleted.
_PROCESSED_KEPT = 4
#: What the cache stores of a corpus: every table but the documents (the data folder's).
_STORED = tuple(name for name in TABLES if name != "documents")


def _processed_key(data_dir: Path, themes_file, clean: bool, rule: ReprintRule) -> str:
    """Key of the processed tables: every input file (raw files enter through corpus.csv's
    sha256), the reprint rule and the code of every stage."""
    themes_path = Path(themes_file) if themes_file is not None else data_dir / paths.THEMES_FILE
    inputs = [b"clean" if clean else b"raw", rule.key()]
    for path in (data_dir / paths.CORPUS_FILE, themes_path, data_dir / paths.BOILERPLATE_FILE,
                 data_dir / paths.PARTIES_FILE, data_dir / paths.KINDS_FILE,
                 data_dir / paths.OUTLETS_FILE):  # fmt: skip
        inputs.append(input_bytes(path, within=None if path == themes_path else data_dir))
    return cache.key("corpus", *inputs, code=__name__)


def _build_tables(corpus, themes, boilerplate, clean: bool, workers, use_cache: bool,
                  rule: ReprintRule, kinds: Kinds):  # fmt: skip
    """Clean, tokenize and match: the tables of a Corpus by field, and how many documents
    were tokenized."""
    if not clean:
        boilerplate = Boilerplate(repeated_enabled=False)
    checked = clean_corpus_checked(corpus, boilerplate, rule=rule, primary_kinds=kinds.primary)
    languages = dict(zip(corpus["id"], corpus["language"], strict=True))
    docs, tokenized = tokenize_texts(checked.texts.to_dict(), languages=languages,
                                     workers=workers, use_cache=use_cache)  # fmt: skip
    tokens = tokens_frame(docs, workers=workers)
    tables = {"cleaned": checked.texts, "audit": checked.audit, "tokens": tokens,
              "sentences": _sentences_frame(docs),
              "hits": match_themes(tokens, themes, checked.texts, languages),
              "reprints": checked.reprints, "warnings": checked.warnings}  # fmt: skip
    return tables, tokenized


def _stored_corpus(key: str, documents: pd.DataFrame, **fields) -> Corpus | None:
    """The corpus stored under ``key`` (reprints not yet marked), or None: missing,
    damaged, of another layout, or of other documents."""
    tables = cache.load("corpus", key)
    if tables is None:
        return None
    try:
        corpus = Corpus.from_arrow(tables, documents=documents, key=key, **fields)
    except Exception:  # noqa: BLE001 - an entry of another layout: build the tables again
        return None
    if corpus.cleaned.index.tolist() != documents["id"].tolist():
        return None
    return corpus


def _marked(corpus: Corpus, declared: list[str]) -> Corpus:
    """``corpus`` with its reprints settled (:func:`rhetoric.text.reprints.settle`: the pairs
    found and those corpus.csv declares) and each document's canonical copy marked
    (``reprint_of`` in the document table, "" for a canonical or lone document; what
    corpus.csv declared, when it has the column, as ``reprint_declared``)."""
    documents = corpus.documents
    pairs, canonical = settle(corpus.reprints, documents, primary_kinds=corpus.kinds.primary,
                              declared=declared)  # fmt: skip
    marked = documents.assign(reprint_of=[canonical.get(d, "") for d in documents["id"]])
    if "reprint_of" in documents:  # what corpus.csv declares, beside what the rule made of it
        marked = marked.assign(reprint_declared=declared)
    return replace(corpus, documents=marked, reprints=pairs)


def process_dataframe(
    frame: pd.DataFrame,
    *,
    text: str = "text",
    defaults: Path | str | None = None,
    themes_file: Path | str | None = None,
    reprints: str = "drop",
    clean: bool = True,
    reprint_rule: ReprintRule | None = None,
) -> Corpus:
    """The processed corpus of documents held in a pandas DataFrame, without a data folder.

    The documents go through the same checks, cleaning, tokenizing and matching as a
    data folder's (in a temporary folder, removed afterwards), so every measure takes
    the result.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per document: the ``text`` column, ``date`` (YYYY-MM-DD) and
        ``parties`` (codes such as ``"US,RU"`` or a list) are needed; ``id``,
        ``title``, ``kind`` (default ``news_article``), ``outlet``, ``url`` and
        ``language`` are read if present (:func:`rhetoric.data.folder.write_data_folder`).
    text : str, default "text"
        The column holding each document's text.
    defaults : pathlib.Path or str, optional
        A data folder whose parties.yml, themes.yml and boilerplate.yml are used
        (default: the package's, those of the project's ``data/``).
    themes_file : pathlib.Path or str, optional
        A themes.yml that replaces the defaults' themes.
    reprints : {"drop", "keep"}, default "drop"
        As :func:`process_corpus`.
    clean : bool, default True
        As :func:`process_corpus`.
    reprint_rule : ReprintRule, optional
        As :func:`process_corpus`.

    Returns
    -------
    Corpus
        As :func:`process_corpus` returns it (its ``data_dir`` no longer exists).

    Raises :class:`rhetoric.RhetoricInputError` for a table that cannot be a corpus,
    naming the missing column or the row (a date that does not exist, an unknown
    party code, a taken id, a row without text).
    """
    with tempfile.TemporaryDirectory(prefix="rhetoric-frame-") as tmp:
        folder = write_data_folder(frame, Path(tmp) / "data", text=text,
                                   defaults=Path(defaults) if defaults is not None else None)  # fmt: skip
        return process_corpus(folder, themes_file=themes_file, reprints=reprints, clean=clean,
                              reprint_rule=reprint_rule)  # fmt: skip


def process_corpus(
    data_dir: Path | str | None = None,
    *,
    workers: int | None = None,
    use_cache: bool = True,
    clean: bool = True,
    themes_file: Path | str | None = None,
    reprints: str = "drop",
    reprint_rule: ReprintRule | None = None,
    language: str | None = None,
    versions: str = "one",
) -> Corpus:
    """Load, clean, tokenize and match themes for a whole data directory.

    The tables are read from the cache when every input file and the code of every
    stage are unchanged, and stored there otherwise (module docstring).

    Parameters
    ----------
    data_dir : pathlib.Path or str, optional
        The data folder (default: ``$RHETORIC_DATA`` or the project's ``data/``).
    workers : int, optional
        Processes for tokenizing and stemming (default: all cores when there is
        enough text to pay for a pool, else 1); the result is the same whatever the
        number.
    use_cache : bool, default True
        Read and write the cache; False computes everything and stores nothing.
    clean : bool, default True
        False skips boilerplate removal (the "cleaned" texts are then the document
        texts, and the audit is empty): only to show what cleaning changes.
    themes_file : pathlib.Path or str, optional
        A themes.yml that replaces the data folder's.
    reprints : {"drop", "keep"}, default "drop"
        ``drop`` counts each cluster of near-duplicate documents once, keeping its
        canonical document (one that does not declare itself a reprint, a primary text
        before coverage, the earliest, then corpus order; :mod:`rhetoric.text.reprints`);
        ``keep`` analyses every copy.
    reprint_rule : ReprintRule, optional
        The thresholds of the reprint rule (:class:`rhetoric.text.reprints.ReprintRule`;
        default: Jaccard 0.5, or containment 0.7, within 7 days). corpus.csv's
        ``reprint_of`` column declares reprints by hand (an id), or undoes one (``none``).
    language : str, optional
        Count each statement with language versions (corpus.csv's ``version_of``) in this
        language where it has a version in it (:mod:`rhetoric.text.versions`); None: the
        original. An ISO 639 code that no document has is refused.
    versions : {"one", "keep"}, default "one"
        ``one`` keeps one version of each statement (``language``); ``keep`` keeps every
        version (to compare them: ``rhetoric versions``).

    Returns
    -------
    Corpus
        Every table of the documents kept (:class:`rhetoric.corpus.Corpus`); its
        ``reprints`` lists the pairs of the whole corpus either way, detected and
        declared (:func:`rhetoric.text.reprints.settle`).

    Raises :class:`rhetoric.RhetoricInputError` for a corpus, themes.yml or
    boilerplate.yml with a problem.
    """
    data_dir = Path(data_dir) if data_dir is not None else paths.default_data_dir()
    with data_lock(data_dir):  # the inputs as one snapshot: before an add, or after it
        documents = load_corpus(data_dir)
        themes = load_themes(
            Path(themes_file) if themes_file is not None else data_dir / paths.THEMES_FILE
        )
        outlets = load_outlets(data_dir / paths.OUTLETS_FILE)
        boilerplate = with_outlet_names(load_boilerplate(data_dir / paths.BOILERPLATE_FILE),
                                        outlets.name)  # fmt: skip
        parties = load_parties(data_dir / paths.PARTIES_FILE)
        kinds = load_kinds(data_dir / paths.KINDS_FILE)
        rule = reprint_rule or ReprintRule()
        key = _processed_key(data_dir, themes_file, clean, rule)
    fields = {"themes": themes, "parties": parties, "data_dir": data_dir, "kinds": kinds}
    corpus = _stored_corpus(key, documents, **fields) if use_cache else None
    if corpus is None:
        tables, tokenized = _build_tables(documents, themes, boilerplate, clean, workers,
                                          use_cache, rule, kinds)  # fmt: skip
        corpus = Corpus(documents=documents, **tables, **fields, key=key, tokenized=tokenized)
        if use_cache:
            cache.store("corpus", key, corpus.to_arrow(_STORED), keep=_PROCESSED_KEPT)
    corpus = _with_statements(_marked(corpus, declared_reprints(documents)))
    if reprints not in ("drop", "keep"):
        raise RhetoricInputError(f"reprints={reprints!r}: use drop (the default) or keep")
    if reprints == "drop" and (corpus.documents["reprint_of"] != "").any():
        corpus = corpus.select(ids=[d for d, of in zip(corpus.documents["id"],
                                                       corpus.documents["reprint_of"], strict=True)
                                    if not of])  # fmt: skip
    return _one_version(corpus, language, versions)


def _with_statements(corpus: Corpus) -> Corpus:
    """``corpus`` with ``statement`` and ``statement_event`` columns when corpus.csv declares
    versions (:func:`rhetoric.text.versions.statements`), worked out on every document
    before any is left out."""
    documents = corpus.documents
    if "version_of" not in documents:
        return corpus
    statement, event = statements(documents)
    return replace(corpus, documents=documents.assign(statement=statement,
                                                      statement_event=event))  # fmt: skip


def _one_version(corpus: Corpus, language: str | None, versions: str) -> Corpus:
    """One version of each statement (:func:`rhetoric.text.versions.chosen_versions`)."""
    if versions not in ("one", "keep"):
        raise RhetoricInputError(f"versions={versions!r}: use one (the default) or keep")
    if language and language not in set(corpus.languages.values()):
        found = ", ".join(sorted(set(corpus.languages.values())))
        raise RhetoricInputError(f"language {language!r}: no document of the corpus is in it "
                                 f"(its languages: {found})")  # fmt: skip
    if versions == "keep" or "version_of" not in corpus.documents:
        return corpus
    kept = chosen_versions(corpus.documents, language)
    return corpus if len(kept) == len(corpus.documents) else corpus.select(ids=kept)
