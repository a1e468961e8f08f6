""":mod:`rhetoric.pipeline`: run the text stages over a corpus, caching per document.

``raw text -> clean (audit kept) -> sentences -> tokens (+ stems, voice) -> theme hits``

:func:`process_corpus` returns a :class:`rhetoric.corpus.Corpus` holding every table
the measures need. Two kinds of entry in the cache (:mod:`rhetoric.store.cache`)
save time on a re-run:

- ``tokens``: each document's tokens, keyed by its cleaned text and the
  tokenizer's code, stored a batch per call, so that adding one statement
  tokenizes only that statement;
- ``corpus``: the tables of the whole corpus, keyed by every input file and
  the code of every stage.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import chain
from pathlib import Path
import tempfile

import numpy as np
import pandas as pd

from rhetoric.corpus import VOICES, Corpus, categorical, codes
from rhetoric.data.folder import data_lock, load_corpus, write_data_folder
from rhetoric.data.parties import load_parties
from rhetoric.errors import RhetoricInputError
from rhetoric.store import cache, parallel, paths
from rhetoric.store.inputs import input_bytes
from rhetoric.text.clean import Boilerplate, clean_corpus_checked, load_boilerplate
from rhetoric.text.reprints import canonical_of
from rhetoric.text.themes import HIT_COLUMNS, load_themes, match_themes
from rhetoric.text.tokens import DocTokens, stem, tokenize_document

__all__ = ["process_corpus", "process_dataframe", "tokenize_texts", "tokens_frame"]

#: Below this many characters to tokenize, a process pool costs more than it saves.
_POOL_MIN_CHARS = 2_000_000


# -- tokens of each document, cached in batches ---------------------------------------------

#: Token arrays and sentence arrays of :class:`rhetoric.text.tokens.DocTokens`, as stored.
_TOKEN_FIELDS = ("start", "end", "sentence", "paragraph", "quoted", "after_punct", "codes")
_SENTENCE_FIELDS = ("sentence_start", "sentence_end")
#: Token batches kept in the cache (the most recently written); older ones are deleted.
_TOKEN_BATCHES_KEPT = 16


def _token_key(text: str) -> str:
    return cache.key("tokens", text, code=tokenize_document.__module__)


def _batch_arrays(keys: list[str], docs: list[DocTokens]) -> dict[str, np.ndarray]:
    """Several documents' tokens as one cache entry: each field concatenated, with lengths."""
    arrays = {
        name: np.concatenate([getattr(d, name) for d in docs])
        for name in (*_TOKEN_FIELDS, *_SENTENCE_FIELDS)
    }
    arrays["keys"], arrays["keys_ends"] = cache.pack_strings(keys)
    arrays["types"], arrays["types_ends"] = cache.pack_strings(t for d in docs for t in d.types)
    arrays["n_tokens"] = np.asarray([len(d) for d in docs], dtype=np.int64)
    arrays["n_sentences"] = np.asarray([len(d.sentence_start) for d in docs], dtype=np.int64)
    arrays["n_types"] = np.asarray([len(d.types) for d in docs], dtype=np.int64)
    return arrays


def _split(array: np.ndarray, lengths: np.ndarray) -> list[np.ndarray]:
    return np.split(array, np.cumsum(lengths)[:-1]) if len(lengths) else []


def _batch_docs(arrays: dict[str, np.ndarray]) -> dict[str, DocTokens]:
    """The documents of a batch by key (empty if the entry is not a token batch)."""
    try:
        keys = cache.unpack_strings(arrays["keys"], arrays["keys_ends"])
        types = iter(cache.unpack_strings(arrays["types"], arrays["types_ends"]))
        fields = {f: _split(arrays[f], arrays["n_tokens"]) for f in _TOKEN_FIELDS}
        fields.update({f: _split(arrays[f], arrays["n_sentences"]) for f in _SENTENCE_FIELDS})
        n_types = arrays["n_types"].tolist()
        docs = {}
        for i, entry_key in enumerate(keys):
            doc_types = tuple(next(types) for _ in range(n_types[i]))
            docs[entry_key] = DocTokens(**{f: parts[i] for f, parts in fields.items()},
                                        types=doc_types)  # fmt: skip
        return docs
    except (KeyError, IndexError, ValueError, StopIteration, UnicodeDecodeError):
        return {}


def _cached_tokens(keys: set[str]) -> dict[str, DocTokens]:
    """Tokens of those of ``keys`` that some stored batch holds."""
    found: dict[str, DocTokens] = {}
    for arrays in cache.entries("tokens"):
        if found.keys() >= keys:
            break
        found.update({k: doc for k, doc in _batch_docs(arrays).items() if k in keys})
    return found


def tokenize_texts(
    texts: Mapping[str, str], *, workers: int | None = None, use_cache: bool = True
) -> tuple[dict[str, DocTokens], int]:
    """Tokenize texts (by id), from the cache where possible.

    ``workers``: processes for the documents not in the cache (default: all
    cores when there is enough text to pay for a pool, else 1). The result is
    identical whatever the number of workers. Returns the tokens by id and
    how many documents were tokenized (not found in the cache).
    """
    keys = {doc_id: _token_key(text) for doc_id, text in texts.items()}
    cached = _cached_tokens(set(keys.values())) if use_cache else {}
    todo = [doc_id for doc_id in texts if keys[doc_id] not in cached]
    workers = parallel.worker_count(
        workers, sum(len(texts[doc_id]) for doc_id in todo), _POOL_MIN_CHARS, len(todo)
    )
    pieces = [(texts[d],) for d in todo]
    done = dict(zip(todo, parallel.map_pieces(tokenize_document, pieces, workers=workers),
                    strict=True))  # fmt: skip
    if use_cache and done:
        batch = [keys[d] for d in done]
        cache.store("tokens", cache.key("token-batch", *batch, code=tokenize_document.__module__),
                    _batch_arrays(batch, list(done.values())), keep=_TOKEN_BATCHES_KEPT)  # fmt: skip
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


def _token_table(ids, lengths, columns: dict, lower_types, stem_types, stem_of_lower):
    """The token table from its arrays (also how the cache rebuilds it, so the two agree)."""
    lengths = np.asarray(lengths, dtype=np.int64)
    lower = columns["lower"]
    position = (np.arange(int(lengths.sum()), dtype=np.int32)
                - np.repeat(np.cumsum(lengths) - lengths, lengths).astype(np.int32))  # fmt: skip
    stem_codes = stem_of_lower[lower] if len(lower) else np.zeros(0, np.int64)
    return pd.DataFrame(
        {
            "document": categorical(np.repeat(np.arange(len(ids), dtype=np.int32), lengths), ids),
            "position": position,
            "sentence": columns["sentence"],
            "paragraph": columns["paragraph"],
            "start": columns["start"],
            "end": columns["end"],
            "lower": categorical(lower, lower_types),
            "stem": categorical(stem_codes, stem_types),
            "voice": categorical(columns["voice"], list(VOICES)),
            "after_punct": columns["after_punct"],
        },
        copy=False,  # the arrays are new: no need for pandas to copy them again
    )


def _token_arrays(docs: Mapping[str, DocTokens], workers: int | None = None) -> dict:
    """What :func:`_token_table` is built from (and what the cache stores of it)."""
    types, lower_codes = _vocabulary(docs)
    stems = _stem_vocabulary(types, workers)
    stem_of_lower, stem_types = pd.factorize(pd.Index(stems, dtype=object), sort=False)
    columns = {
        name: _join(docs, name, np.int32) for name in ("sentence", "paragraph", "start", "end")
    }
    columns.update(lower=lower_codes, voice=_join(docs, "quoted", np.int8),
                   after_punct=_join(docs, "after_punct", bool))  # fmt: skip
    return {"ids": list(docs), "lengths": [len(doc) for doc in docs.values()], "columns": columns,
            "lower_types": types, "stem_types": list(stem_types),
            "stem_of_lower": np.asarray(stem_of_lower, dtype=np.int64)}  # fmt: skip


def tokens_frame(docs: Mapping[str, DocTokens], *, workers: int | None = None) -> pd.DataFrame:
    """One table of the word tokens of all documents (columns in :attr:`rhetoric.corpus.Corpus.tokens`)."""
    return _token_table(**_token_arrays(docs, workers))


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


def _processed_key(data_dir: Path, themes_file, clean: bool) -> str:
    """Key of the processed tables: every input file (raw files enter through corpus.csv's
    sha256) and the code of every stage."""
    themes_path = Path(themes_file) if themes_file is not None else data_dir / paths.THEMES_FILE
    inputs = [b"clean" if clean else b"raw"]
    for path in (data_dir / paths.CORPUS_FILE, themes_path, data_dir / paths.BOILERPLATE_FILE,
                 data_dir / paths.PARTIES_FILE):  # fmt: skip
        inputs.append(input_bytes(path, within=None if path == themes_path else data_dir))
    return cache.key("corpus", *inputs, code=__name__)


def _prefixed(prefix: str, arrays: dict) -> dict:
    return {f"{prefix}.{name}": value for name, value in arrays.items()}


def _unprefixed(prefix: str, arrays: dict) -> dict:
    start = len(prefix) + 1
    return {name[start:]: value for name, value in arrays.items() if name.startswith(prefix + ".")}


def _tables_to_arrays(cleaned, audit, token_arrays: dict, sentences, hits, checks) -> dict:
    """The processed tables as plain arrays, for the cache (``checks``: reprint pairs and
    cleaning warnings)."""
    arrays = {}
    pairs, warnings = checks
    position = {doc: n for n, doc in enumerate(cleaned.index)}
    arrays["reprint_a"] = np.asarray([position[d] for d in pairs["a"]], dtype=np.int64)
    arrays["reprint_b"] = np.asarray([position[d] for d in pairs["b"]], dtype=np.int64)
    arrays["reprint_jaccard"] = pairs["jaccard"].to_numpy(dtype=np.float64)
    arrays["warnings"], arrays["warnings_ends"] = cache.pack_strings(warnings)
    arrays["ids"], arrays["ids_ends"] = cache.pack_strings(cleaned.index)
    arrays["text"], arrays["text_ends"] = cache.pack_strings(cleaned)
    arrays.update(_prefixed("audit", cache.frame_to_arrays(audit)))
    arrays["lower_types"], arrays["lower_types_ends"] = cache.pack_strings(
        token_arrays["lower_types"]
    )
    arrays["stem_types"], arrays["stem_types_ends"] = cache.pack_strings(
        token_arrays["stem_types"]
    )
    arrays["stem_of_lower"] = token_arrays["stem_of_lower"]
    arrays["lengths"] = np.asarray(token_arrays["lengths"], dtype=np.int64)
    arrays.update(_prefixed("tok", token_arrays["columns"]))
    arrays["sent_counts"] = np.bincount(codes(sentences["document"]), minlength=len(cleaned))
    for column in ("start", "end", "tokens"):
        arrays[f"sent.{column}"] = sentences[column].to_numpy()
    if len(hits):
        hits = hits.assign(document=codes(hits["document"]), theme=codes(hits["theme"]))
    arrays.update(_prefixed("hits", cache.frame_to_arrays(hits.drop(columns="match"))))
    return arrays


def _tables_from_arrays(a: dict, corpus: pd.DataFrame, themes):
    """The tables :func:`_tables_to_arrays` stored, or None if they are for another corpus."""
    ids = cache.unpack_strings(a["ids"], a["ids_ends"])
    if ids != list(corpus["id"]):
        return None
    texts = cache.unpack_strings(a["text"], a["text_ends"])
    cleaned = pd.Series(dict(zip(ids, texts, strict=True)), name="text", dtype=object)
    audit = cache.frame_from_arrays(_unprefixed("audit", a))
    tokens = _token_table(
        ids, a["lengths"], _unprefixed("tok", a),
        cache.unpack_strings(a["lower_types"], a["lower_types_ends"]),
        cache.unpack_strings(a["stem_types"], a["stem_types_ends"]), a["stem_of_lower"],
    )  # fmt: skip
    sentences = _sentence_table(
        ids, a["sent_counts"], a["sent.start"], a["sent.end"], a["sent.tokens"]
    )
    hit_table = cache.frame_from_arrays(_unprefixed("hits", a))
    if len(hit_table):
        hits = _hits_from_table(hit_table, ids, texts, themes)
    else:
        hits = match_themes(tokens.iloc[:0], themes, cleaned)
    pairs = pd.DataFrame({"a": [ids[i] for i in a["reprint_a"].tolist()],
                          "b": [ids[i] for i in a["reprint_b"].tolist()],
                          "jaccard": np.asarray(a["reprint_jaccard"], dtype=np.float64)})  # fmt: skip
    warnings = tuple(cache.unpack_strings(a["warnings"], a["warnings_ends"]))
    return (cleaned, audit, tokens, sentences, hits), (pairs, warnings)


def _hits_from_table(
    table: pd.DataFrame, ids: list[str], texts: list[str], themes
) -> pd.DataFrame:
    """The hits table from its stored columns, as :func:`rhetoric.text.themes.match_themes` made it."""
    doc_codes = table["document"].to_numpy()
    text_of = np.asarray(texts, dtype=object)[doc_codes] if len(table) else []
    matches = [t[s:e] for t, s, e in zip(text_of, table["start"], table["end"], strict=True)]
    frame = pd.DataFrame(
        {
            "document": categorical(doc_codes, ids),
            "theme": pd.Categorical.from_codes(
                table["theme"].to_numpy(), categories=[t.id for t in themes]
            ),
            "term": table["term"].to_numpy(dtype=object),
            "sentence": table["sentence"].to_numpy(),
            "position": table["position"].to_numpy(),
            "n_tokens": table["n_tokens"].to_numpy(),
            "start": table["start"].to_numpy(),
            "end": table["end"].to_numpy(),
            "match": np.asarray(matches, dtype=object),
            "voice": table["voice"].to_numpy(dtype=object),
            "negated": table["negated"].to_numpy(dtype=bool),
        }
    )
    return frame[list(HIT_COLUMNS)]


def _stored_tables(key: str, corpus: pd.DataFrame, themes):
    """The stored tables for ``key``, or None (missing, damaged, or not matching the corpus)."""
    arrays = cache.load("corpus", key)
    if arrays is None:
        return None
    try:
        return _tables_from_arrays(arrays, corpus, themes)
    except (KeyError, ValueError, IndexError, UnicodeDecodeError):
        return None  # an entry of another layout: build the tables again


def _build_tables(corpus, themes, boilerplate, clean: bool, workers, use_cache: bool):
    """Clean, tokenize and match: the tables, their arrays for the cache, documents tokenized."""
    if not clean:
        boilerplate = Boilerplate(repeated_enabled=False)
    checked = clean_corpus_checked(corpus, boilerplate)
    cleaned, audit = checked.texts, checked.audit
    docs, tokenized = tokenize_texts(cleaned.to_dict(), workers=workers, use_cache=use_cache)
    token_arrays = _token_arrays(docs, workers)
    tokens = _token_table(**token_arrays)
    sentences = _sentences_frame(docs)
    hits = match_themes(tokens, themes, cleaned)
    checks = (checked.reprints, checked.warnings)
    return (cleaned, audit, tokens, sentences, hits), checks, token_arrays, tokenized


def process_dataframe(
    frame: pd.DataFrame,
    *,
    text: str = "text",
    defaults: Path | str | None = None,
    themes_file: Path | str | None = None,
    reprints: str = "drop",
    clean: bool = True,
) -> Corpus:
    """The processed corpus of documents held in a pandas DataFrame, without a data folder.

    One row per document: the ``text`` column, ``date`` (YYYY-MM-DD) and ``parties``
    (codes such as ``"US,RU"`` or a list) are needed; ``id``, ``title``, ``kind``
    (default ``news_article``), ``outlet``, ``url`` and ``language`` are read if
    present (:func:`rhetoric.data.folder.write_data_folder`). parties.yml, themes.yml and
    boilerplate.yml come from ``defaults`` (a data folder; if not given, the package's
    defaults, those of the project's ``data/``), ``themes_file`` replaces the themes. The documents go through the same
    checks, cleaning, tokenizing and matching as a data folder's (in a temporary folder,
    removed afterwards), so every measure takes the result.
    """
    with tempfile.TemporaryDirectory(prefix="rhetoric-frame-") as tmp:
        folder = write_data_folder(frame, Path(tmp) / "data", text=text,
                                   defaults=Path(defaults) if defaults is not None else None)  # fmt: skip
        return process_corpus(folder, themes_file=themes_file, reprints=reprints, clean=clean)


def process_corpus(
    data_dir: Path | str | None = None,
    *,
    workers: int | None = None,
    use_cache: bool = True,
    clean: bool = True,
    themes_file: Path | str | None = None,
    reprints: str = "drop",
) -> Corpus:
    """Load, clean, tokenize and match themes for a whole data directory.

    ``reprints``: ``drop`` (default) counts each cluster of near-duplicate
    documents once, keeping its canonical document (earliest date, then
    corpus order; :mod:`rhetoric.text.reprints`); ``keep`` analyses every copy.

    ``themes_file`` replaces the data directory's themes.yml. ``clean=False``
    skips boilerplate removal (the "cleaned" texts are then the
    document texts, and the audit is empty): only to show what cleaning changes.

    Raises :class:`rhetoric.RhetoricInputError` for a corpus, themes.yml or
    boilerplate.yml with a problem.
    """
    data_dir = Path(data_dir) if data_dir is not None else paths.default_data_dir()
    with data_lock(data_dir):  # the inputs as one snapshot: before an add, or after it
        documents = load_corpus(data_dir)
        themes = load_themes(
            Path(themes_file) if themes_file is not None else data_dir / paths.THEMES_FILE
        )
        boilerplate = load_boilerplate(data_dir / paths.BOILERPLATE_FILE)
        parties = load_parties(data_dir / paths.PARTIES_FILE)
        key = _processed_key(data_dir, themes_file, clean)
    stored = _stored_tables(key, documents, themes) if use_cache else None
    tokenized = 0
    if stored is None:
        tables, checks, token_arrays, tokenized = _build_tables(
            documents, themes, boilerplate, clean, workers, use_cache
        )
        if use_cache:
            cache.store("corpus", key, _tables_to_arrays(tables[0], tables[1], token_arrays,
                        *tables[3:], checks), keep=_PROCESSED_KEPT)  # fmt: skip
    else:
        tables, checks = stored
    cleaned, audit, tokens, sentences, hits = tables
    pairs, warnings = checks
    canonical = canonical_of(pairs, list(documents["id"]), list(documents["date"]))
    documents = documents.assign(reprint_of=[canonical.get(d, "") for d in documents["id"]])
    corpus = Corpus(
        documents=documents,
        cleaned=cleaned,
        audit=audit,
        tokens=tokens,
        sentences=sentences,
        themes=themes,
        hits=hits,
        parties=parties,
        data_dir=data_dir,
        key=key,
        tokenized=tokenized,
        reprints=pairs.assign(canonical=[canonical.get(b, canonical.get(a, a))
                                         for a, b in zip(pairs["a"], pairs["b"], strict=True)]),
        warnings=warnings,
    )  # fmt: skip
    if reprints == "keep" or not canonical:
        return corpus
    if reprints != "drop":
        raise RhetoricInputError(f"reprints={reprints!r}: use drop (the default) or keep")
    return corpus.select(ids=[d for d in documents["id"] if d not in canonical])
