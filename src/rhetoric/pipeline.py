""":mod:`rhetoric.pipeline`: run the text stages over a corpus, caching per document.

``raw text -> clean (audit kept) -> sentences -> tokens (+ stems, voice) -> theme hits``

:func:`process_corpus` returns a :class:`Processed` value holding every table
the measures need. Tokenizing is the costly step: its result is cached per
document under ``.cache/rhetoric/tokens/`` (see :func:`rhetoric.paths.cache_dir`),
keyed by the sha256 of the cleaned text, :data:`rhetoric.tokens.TOKENIZER_VERSION`
and the tokenizer's source, so adding one statement tokenizes only that
statement; the tables built from all documents are cached as a whole under
``processed/``. The cache holds plain numbers and text only (token records in
packs, see :mod:`rhetoric.packs`; NumPy ``.npz`` archives read with
``allow_pickle=False``): no code is ever loaded from the cache.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
import hashlib
from itertools import chain
from pathlib import Path

import numpy as np
import pandas as pd

from rhetoric import packs, parallel, paths
from rhetoric.clean import clean_corpus, load_boilerplate
from rhetoric.corpus import load_corpus
from rhetoric.parties import Parties, load_parties
from rhetoric.themes import Theme, load_themes, match_themes
from rhetoric.tokens import TOKENIZER_VERSION, DocTokens, stem, tokenize_document

__all__ = [
    "Processed",
    "corpus_table",
    "process_corpus",
    "removal_summary",
    "tokenize_texts",
    "tokens_frame",
]

VOICES = ("narration", "quoted")
#: Below this many characters to tokenize, a process pool costs more than it saves.
_POOL_MIN_CHARS = 2_000_000


@dataclass(frozen=True)
class Processed:
    """Everything the text stages produce for one corpus.

    Attributes
    ----------
    corpus : DataFrame
        :func:`rhetoric.load_corpus` output (one row per document, with ``text``).
    cleaned : Series
        Cleaned text by document id.
    audit : DataFrame
        Removed spans (see :func:`rhetoric.clean.clean_corpus`).
    tokens : DataFrame
        One row per word token, in document then text order: ``document``
        (categorical, corpus order), ``position`` (index within the document),
        ``sentence``, ``paragraph`` (0-based within the document), ``start``,
        ``end`` (character offsets into the cleaned text), ``lower``, ``stem``
        (categorical), ``voice`` (``narration`` or ``quoted``), ``after_punct``.
    sentences : DataFrame
        One row per sentence: ``document``, ``sentence``, ``start``, ``end``,
        ``tokens`` (word tokens in it).
    themes : tuple of Theme
    hits : DataFrame
        Theme hits (see :func:`rhetoric.themes.match_themes`).
    parties : Parties
    tokenized : int
        Documents tokenized in this call (the rest came from the cache).
    """

    corpus: pd.DataFrame
    cleaned: pd.Series
    audit: pd.DataFrame
    tokens: pd.DataFrame
    sentences: pd.DataFrame
    themes: tuple[Theme, ...]
    hits: pd.DataFrame
    parties: Parties
    data_dir: Path
    tokenized: int = field(default=0, compare=False)


# -- cache ---------------------------------------------------------------------------


def _cache_key(text: str) -> str:
    code = paths.source_fingerprint("tokens")
    return hashlib.sha256(f"tokens-v{TOKENIZER_VERSION}\0{code}\0{text}".encode()).hexdigest()


_TOKEN_ARRAYS = ("start", "end", "sentence", "paragraph", "quoted", "after_punct", "codes",
                 "sentence_start", "sentence_end")  # fmt: skip


def _token_record(doc: DocTokens) -> bytes:
    """One document's tokens as a cache record (:func:`rhetoric.packs.encode_arrays`)."""
    arrays = {name: getattr(doc, name) for name in _TOKEN_ARRAYS}
    return packs.encode_arrays({**arrays, "types": _strings(doc.types)})


def _parse_record(record: np.ndarray) -> DocTokens | None:
    """A cache record read back, or None if it is damaged."""
    arrays = packs.decode_arrays(record)
    if arrays is None or set(arrays) != {*_TOKEN_ARRAYS, "types"}:
        return None
    try:
        types = tuple(_unstrings(arrays.pop("types")))
    except UnicodeDecodeError:
        return None
    return DocTokens(**arrays, types=types)


def tokenize_texts(
    texts: Mapping[str, str], *, workers: int | None = None, use_cache: bool = True
) -> tuple[dict[str, DocTokens], int]:
    """Tokenize texts (by id), from the cache where possible.

    ``workers``: processes for the documents not in the cache (default: all
    cores when there is enough text to pay for a pool, else 1). The result is
    identical whatever the number of workers. Returns the tokens by id and
    how many documents were tokenized (not found in the cache).
    """
    keys = {doc_id: _cache_key(text) for doc_id, text in texts.items()}
    cached = {}
    if use_cache:
        for key, record in packs.read_records("tokens", set(keys.values())).items():
            doc = _parse_record(record)
            if doc is not None:
                cached[key] = doc
    todo = [doc_id for doc_id in texts if keys[doc_id] not in cached]
    workers = parallel.worker_count(
        workers, sum(len(texts[doc_id]) for doc_id in todo), _POOL_MIN_CHARS, len(todo)
    )
    done = dict(
        zip(
            todo,
            parallel.map_pieces(tokenize_document, [(texts[d],) for d in todo], workers=workers),
            strict=True,
        )
    )
    if use_cache:
        packs.write_records(
            "tokens", {keys[doc_id]: _token_record(doc) for doc_id, doc in done.items()}
        )
    result = {d: done[d] if d in done else cached[keys[d]] for d in texts}
    return result, len(todo)


# -- corpus-wide tables ----------------------------------------------------------------


def _categorical(codes, categories) -> pd.Categorical:
    """A categorical from integer codes over string categories (kept as Python strings)."""
    return pd.Categorical.from_codes(codes, categories=pd.Index(categories, dtype=object))


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


def tokens_frame(docs: Mapping[str, DocTokens], *, workers: int | None = None) -> pd.DataFrame:
    """One table of the word tokens of all documents (columns in :class:`Processed`)."""
    ids = list(docs)
    # one vocabulary for all documents, in order of first appearance
    every_type = list(chain.from_iterable(doc.types for doc in docs.values()))
    types = list(dict.fromkeys(every_type))
    code_of = dict(zip(types, range(len(types)), strict=True))
    mapping = np.fromiter(map(code_of.__getitem__, every_type), np.int32, len(every_type))
    type_offsets = np.cumsum([0] + [len(doc.types) for doc in docs.values()])[:-1]
    lower_codes = (
        mapping[
            np.concatenate(
                [doc.codes + off for doc, off in zip(docs.values(), type_offsets, strict=True)]
            )
        ]
        if ids
        else np.zeros(0, dtype=np.int32)
    )
    stems = _stem_vocabulary(types, workers)
    stem_codes_of_type, stem_types = pd.factorize(pd.Index(stems, dtype=object), sort=False)

    lengths = [len(doc) for doc in docs.values()]
    n = int(sum(lengths))

    def join(name, dtype):
        arrays = [getattr(doc, name).astype(dtype, copy=False) for doc in docs.values()]
        return np.concatenate(arrays) if arrays else np.zeros(0, dtype=dtype)

    frame = pd.DataFrame(
        {
            "document": _categorical(np.repeat(np.arange(len(ids), dtype=np.int32), lengths), ids),
            "position": np.concatenate([np.arange(k, dtype=np.int32) for k in lengths])
            if ids
            else np.zeros(0, np.int32),
            "sentence": join("sentence", np.int32),
            "paragraph": join("paragraph", np.int32),
            "start": join("start", np.int32),
            "end": join("end", np.int32),
            "lower": _categorical(lower_codes, types),
            "stem": _categorical(
                stem_codes_of_type[lower_codes] if n else np.zeros(0, np.int64), list(stem_types)
            ),
            "voice": _categorical(join("quoted", np.int8), list(VOICES)),
            "after_punct": join("after_punct", bool),
        },
        copy=False,  # the arrays are new: no need for pandas to copy them again
    )
    return frame


def _sentences_frame(docs: Mapping[str, DocTokens]) -> pd.DataFrame:
    ids = list(docs)
    counts = [len(doc.sentence_start) for doc in docs.values()]
    frame = pd.DataFrame(
        {
            "document": _categorical(np.repeat(np.arange(len(ids), dtype=np.int32), counts), ids),
            "sentence": np.concatenate([np.arange(c, dtype=np.int32) for c in counts])
            if ids
            else np.zeros(0, np.int32),
            "start": np.concatenate([d.sentence_start for d in docs.values()])
            if ids
            else np.zeros(0, np.int64),
            "end": np.concatenate([d.sentence_end for d in docs.values()])
            if ids
            else np.zeros(0, np.int64),
        }
    )
    # word tokens per sentence (each token's sentence is an index into the document's sentences)
    frame["tokens"] = (
        np.concatenate(
            [
                np.bincount(d.sentence, minlength=c)[:c]
                for d, c in zip(docs.values(), counts, strict=True)
            ]
        )
        if ids
        else np.zeros(0, np.int64)
    )
    return frame


# -- the whole corpus, processed ---------------------------------------------------------

_PROCESSED_VERSION = "2"
#: Corpus-level tables kept in the cache (the most recently written); older ones are deleted.
_PROCESSED_KEPT = 4


def _processed_key(data_dir: Path, themes_file, clean: bool) -> str:
    """Hash of everything the processed tables depend on (raw files enter through corpus.csv's sha256)."""
    from importlib import metadata

    digest = hashlib.sha256(
        f"processed-v{_PROCESSED_VERSION}\0tokens-v{TOKENIZER_VERSION}\0{metadata.version('rhetoric')}\0{clean}"
        f"\0{paths.source_fingerprint('corpus', 'clean', 'tokens', 'themes', 'pipeline')}".encode()
    )
    themes_path = Path(themes_file) if themes_file is not None else data_dir / paths.THEMES_FILE
    for path in (data_dir / paths.CORPUS_FILE, themes_path, data_dir / paths.BOILERPLATE_FILE,
                 data_dir / paths.PARTIES_FILE):  # fmt: skip
        digest.update(b"\0" + (path.read_bytes() if path.is_file() else b"(none)"))
    return digest.hexdigest()


def _strings(values) -> np.ndarray:
    return np.frombuffer("\n".join(values).encode("utf-8"), dtype=np.uint8)


def _unstrings(array: np.ndarray) -> list[str]:
    text = array.tobytes().decode("utf-8")
    return text.split("\n") if text else []


def _write_processed(key: str, cleaned, audit, tokens, sentences, hits) -> None:
    """Store the processed tables as plain arrays (no pickle) for the next run on the same inputs."""
    import json

    texts = [t.encode("utf-8") for t in cleaned]
    arrays = {
        "ids": _strings(cleaned.index),
        "text": np.frombuffer(b"".join(texts), dtype=np.uint8),
        "text_lengths": np.asarray([len(t) for t in texts], dtype=np.int64),
        "audit": np.frombuffer(
            json.dumps(audit.to_dict(orient="records")).encode("utf-8"), dtype=np.uint8
        ),
        "lower_types": _strings(tokens["lower"].cat.categories),
        "stem_types": _strings(tokens["stem"].cat.categories),
    }
    for column in ("document", "lower", "stem", "voice"):
        arrays[f"tok_{column}"] = tokens[column].cat.codes.to_numpy()
    for column in ("position", "sentence", "paragraph", "start", "end", "after_punct"):
        arrays[f"tok_{column}"] = tokens[column].to_numpy()
    for column in ("sentence", "start", "end", "tokens"):
        arrays[f"sent_{column}"] = sentences[column].to_numpy()
    arrays["sent_document"] = sentences["document"].cat.codes.to_numpy()
    for column in ("sentence", "position", "n_tokens", "start", "end", "negated"):
        arrays[f"hit_{column}"] = hits[column].to_numpy()
    arrays["hit_document"] = (
        hits["document"].cat.codes.to_numpy() if len(hits) else np.zeros(0, np.int8)
    )
    arrays["hit_theme"] = hits["theme"].cat.codes.to_numpy() if len(hits) else np.zeros(0, np.int8)
    arrays["hit_term"] = _strings(hits["term"].astype(str))
    arrays["hit_voice"] = np.asarray([VOICES.index(v) for v in hits["voice"]], dtype=np.int8)
    packs.write_records("processed", {key: packs.encode_arrays(arrays)}, keep=_PROCESSED_KEPT)


def _read_processed(key: str, corpus: pd.DataFrame, themes):
    """The stored tables for ``key``, or None (missing, damaged, or not matching the corpus)."""
    record = packs.read_records("processed", {key}).get(key)
    arrays = packs.decode_arrays(record) if record is not None else None
    if arrays is None:
        return None
    try:
        return _tables(arrays, corpus, themes)
    except (KeyError, ValueError, IndexError, UnicodeDecodeError):
        return None  # not what _write_processed wrote: build the tables again


def _tables(a: dict, corpus: pd.DataFrame, themes):
    """The tables from the arrays :func:`_write_processed` stored, or None if for another corpus."""
    import json

    from rhetoric.themes import HIT_COLUMNS

    ids = _unstrings(a["ids"])
    if ids != list(corpus["id"]):
        return None
    raw = a["text"].tobytes()
    ends = np.cumsum(a["text_lengths"])
    texts = [
        raw[s:e].decode("utf-8")
        for s, e in zip(np.concatenate([[0], ends[:-1]]), ends, strict=True)
    ]
    cleaned = pd.Series(dict(zip(ids, texts, strict=True)), name="text", dtype=object)
    from rhetoric.clean import AUDIT_COLUMNS

    # rebuilt exactly as clean_corpus builds it, so the dtypes match
    audit = pd.DataFrame(json.loads(a["audit"].tobytes().decode("utf-8")), columns=AUDIT_COLUMNS)
    id_index = pd.Index(ids, dtype=object)

    tokens = pd.DataFrame(
        {
            "document": _categorical(a["tok_document"], id_index),
            "position": a["tok_position"],
            "sentence": a["tok_sentence"],
            "paragraph": a["tok_paragraph"],
            "start": a["tok_start"],
            "end": a["tok_end"],
            "lower": _categorical(a["tok_lower"], _unstrings(a["lower_types"])),
            "stem": _categorical(a["tok_stem"], _unstrings(a["stem_types"])),
            "voice": _categorical(a["tok_voice"], list(VOICES)),
            "after_punct": a["tok_after_punct"],
        },
        copy=False,  # views into the buffer just read, which nothing else holds
    )
    sentences = pd.DataFrame(
        {
            "document": _categorical(a["sent_document"], id_index),
            "sentence": a["sent_sentence"],
            "start": a["sent_start"],
            "end": a["sent_end"],
            "tokens": a["sent_tokens"],
        },
        copy=False,
    )
    theme_ids = [t.id for t in themes]
    if len(a["hit_position"]) == 0:
        hits = match_themes(tokens.iloc[:0], themes, cleaned)
    else:
        documents = np.asarray(ids, dtype=object)[a["hit_document"]]
        texts_of = dict(zip(ids, texts, strict=True))
        starts, ends_ = a["hit_start"], a["hit_end"]
        hits = pd.DataFrame(
            {
                "document": _categorical(a["hit_document"], id_index),
                "theme": pd.Categorical.from_codes(a["hit_theme"], categories=theme_ids),
                "term": np.asarray(_unstrings(a["hit_term"]), dtype=object),
                "sentence": a["hit_sentence"],
                "position": a["hit_position"],
                "n_tokens": a["hit_n_tokens"],
                "start": starts,
                "end": ends_,
                "match": [
                    texts_of[d][s:e] for d, s, e in zip(documents, starts, ends_, strict=True)
                ],
                "voice": np.asarray(VOICES, dtype=object)[a["hit_voice"]],
                "negated": a["hit_negated"],
            }
        )[list(HIT_COLUMNS)]
    return cleaned, audit, tokens, sentences, hits


def process_corpus(
    data_dir: Path | str | None = None,
    *,
    workers: int | None = None,
    use_cache: bool = True,
    clean: bool = True,
    themes_file: Path | str | None = None,
) -> Processed:
    """Load, clean, tokenize and match themes for a whole data directory.

    ``themes_file`` replaces the data directory's themes.yml. ``clean=False``
    skips boilerplate removal (the "cleaned" texts are then the
    document texts, and the audit is empty): only to show what cleaning changes.

    Raises :class:`rhetoric.RhetoricInputError` for a corpus, themes.yml or
    boilerplate.yml with a problem.
    """
    data_dir = Path(data_dir) if data_dir is not None else paths.default_data_dir()
    corpus = load_corpus(data_dir)
    themes = load_themes(
        Path(themes_file) if themes_file is not None else data_dir / paths.THEMES_FILE
    )
    boilerplate = load_boilerplate(data_dir / paths.BOILERPLATE_FILE)
    parties = load_parties(data_dir / paths.PARTIES_FILE)
    key = _processed_key(data_dir, themes_file, clean)
    stored = _read_processed(key, corpus, themes) if use_cache else None
    tokenized = 0
    if stored is not None:
        cleaned, audit, tokens, sentences, hits = stored
    else:
        if clean:
            cleaned, audit = clean_corpus(corpus, boilerplate)
        else:
            from rhetoric.clean import Boilerplate

            cleaned, audit = clean_corpus(corpus, Boilerplate(repeated_enabled=False))
        docs, tokenized = tokenize_texts(cleaned.to_dict(), workers=workers, use_cache=use_cache)
        tokens = tokens_frame(docs, workers=workers)
        sentences = _sentences_frame(docs)
        hits = match_themes(tokens, themes, cleaned)
        if use_cache:
            _write_processed(key, cleaned, audit, tokens, sentences, hits)
    return Processed(
        corpus=corpus,
        cleaned=cleaned,
        audit=audit,
        tokens=tokens,
        sentences=sentences,
        themes=themes,
        hits=hits,
        parties=parties,
        data_dir=data_dir,
        tokenized=tokenized,
    )


def corpus_table(processed: Processed) -> pd.DataFrame:
    """One row per document: metadata and sizes.

    Columns: ``id``, ``title``, ``date``, ``dyad``, ``kind``, ``outlet``,
    ``tokens_raw`` (word tokens in the document text before cleaning),
    ``tokens_clean`` (word tokens after cleaning: the denominator of every
    rate), ``removed_share`` (1 - tokens_clean / tokens_raw), ``sentences``,
    ``quoted_share`` (quoted tokens / tokens_clean).
    """
    from rhetoric.tokens import word_spans

    corpus = processed.corpus
    tokens = processed.tokens
    clean_counts = tokens.groupby("document", observed=False).size()
    quoted = tokens[tokens["voice"] == "quoted"].groupby("document", observed=False).size()
    sentences = processed.sentences.groupby("document", observed=False).size()
    raw_counts = [len(word_spans(text)[0]) for text in corpus["text"]]
    frame = corpus[["id", "title", "date", "dyad", "kind", "outlet"]].copy()
    frame["tokens_raw"] = raw_counts
    frame["tokens_clean"] = clean_counts.reindex(corpus["id"]).to_numpy()
    frame["removed_share"] = 1 - frame["tokens_clean"] / frame["tokens_raw"].where(
        frame["tokens_raw"] > 0
    )
    frame["sentences"] = sentences.reindex(corpus["id"]).to_numpy()
    frame["quoted_share"] = quoted.reindex(corpus["id"]).to_numpy() / frame["tokens_clean"].where(
        frame["tokens_clean"] > 0
    )
    return frame.reset_index(drop=True)


def removal_summary(processed: Processed) -> pd.DataFrame:
    """Word tokens each document kept and lost to each cleaning rule.

    Returns
    -------
    DataFrame
        One row per document (corpus order): ``document``, ``kept`` (word
        tokens after cleaning), then one column per rule that removed
        anything, holding the word tokens it removed (counted with the same
        tokenizer in the removed text).
    """
    from rhetoric.tokens import word_spans

    audit = processed.audit
    kept = processed.tokens.groupby("document", observed=False).size()
    frame = pd.DataFrame({"document": processed.corpus["id"].to_numpy()})
    frame["kept"] = kept.reindex(frame["document"]).to_numpy()
    for rule in dict.fromkeys(audit["rule"]):
        removed = (
            audit[audit["rule"] == rule]
            .groupby("document", sort=False)["text"]
            .apply(lambda texts: sum(len(word_spans(t)[0]) for t in texts))
        )
        frame[rule] = removed.reindex(frame["document"]).fillna(0).astype(int).to_numpy()
    return frame
