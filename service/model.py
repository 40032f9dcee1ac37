"""A linear text classifier per field, scored in plain Python and numpy from a data-only artifact.

Training (service/train.py) fits scikit-learn's LogisticRegression; serving needs only the
weights. ``weights.npz`` holds them in the layout they are served from: one vocabulary shared
by every field (the feature names, UTF-8, newline-separated) and one float64 matrix with every
field's classes side by side; ``meta.json`` says which columns are whose, with each field's
labels, bias, temperature and fusion strategy. Reading them executes no code (``allow_pickle=False``)
and makes no Python pass over the weights: 15 ms, against ~200 ms for the same weights as JSON.
Scoring one ad is a few hundred dict look-ups (~0.05 ms).
"""
from __future__ import annotations

import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import orjson

from .document import Document
from .rules import Hit

MODELS_DIR = Path(__file__).resolve().parent.parent / "models"
_BODY_SECTIONS = frozenset({"intro", "duties", "requirements", "body"})


def features(doc: Document, hits: list[Hit], experience_id: str | None,
             rule_labels: dict[str, str] | None = None) -> dict[str, list[int]]:
    """Feature name → token indices that produced it (for evidence spans)."""
    feats: dict[str, list[int]] = {f"rl:{f}={lab}": [] for f, lab in (rule_labels or {}).items()}
    prev = None
    for i, (lemma, section) in enumerate(zip(doc.lemmas, doc.sections, strict=True)):
        if not lemma[:1].isalpha():
            prev = None
            continue
        if section == "title":
            feats.setdefault("t:" + lemma, []).append(i)
        elif section in _BODY_SECTIONS:
            prefix = "d:" if section == "duties" else "b:"
            feats.setdefault(prefix + lemma, []).append(i)
            if prev is not None:
                feats.setdefault("b2:" + prev + "_" + lemma, []).append(i)
        prev = lemma if section != "title" else None
    for h in hits:
        if h.rule.kind != "exclude":
            feats.setdefault("r:" + h.rule.id, []).append(h.start)
    feats["x:" + str(experience_id)] = []
    return feats


WEIGHTS = "weights.npz"


@dataclass
class FieldModel:
    field: str
    labels: list[str]
    bias: list[float]
    temperature: float
    strategy: str
    rule_floor: float | None
    index: dict[str, int] = field(repr=False)  # feature name → row of matrix
    names: list[str] = field(repr=False)  # row → feature name
    matrix: np.ndarray = field(repr=False)  # rows × labels
    columns: slice = field(init=False, repr=False)  # of Model.matrix

    def __post_init__(self) -> None:
        self._bias = np.array(self.bias, dtype=np.float64)

    @classmethod
    def from_weights(cls, field_name: str, labels: list[str], weights: dict[str, list[float]], bias: list[float],
                     temperature: float = 1.0, strategy: str = "fused", rule_floor: float | None = None) -> FieldModel:
        """From feature name → per-label weights (what training makes)."""
        names = list(weights)
        matrix = np.array([weights[n] for n in names], dtype=np.float64).reshape(len(names), len(labels))
        return cls(field_name, labels, bias, temperature, strategy, rule_floor, {n: i for i, n in enumerate(names)},
                   names, matrix)

    def predict(self, feats: dict[str, list[int]]) -> tuple[str, float, dict[str, float], list]:
        """This field's prediction from named features (see decide)."""
        index = self.index
        names = [name for name in feats if name in index]
        row_ids = [index[name] for name in names]
        rows = self.matrix[row_ids]
        scores = (self._bias + rows.sum(axis=0)) / self.temperature
        return self.decide(rows, scores, row_ids, [feats[name] for name in names])

    def decide(self, rows: np.ndarray, scores: np.ndarray, row_ids: list[int], tokens: list[list[int]],
               ) -> tuple[str, float, dict[str, float], list[tuple[str, float, list[int]]]]:
        """(label, probability, all probabilities, top contributing features with their tokens) from the weight
        rows of the features present (row_ids, each with its token indices) and their summed scores."""
        # the ufuncs' own reduce and the array's argsort: what max(), sum() and np.argsort call after a Python step
        exps = np.exp(scores - np.maximum.reduce(scores))
        probs = (exps / np.add.reduce(exps)).tolist()
        best = probs.index(max(probs))
        contrib_w = rows[:, best]
        top = (-contrib_w).argsort()[:6].tolist()
        contrib = [(self.names[row_ids[i]], weight, tokens[i]) for i, weight in zip(top, contrib_w[top].tolist())
                   if weight > 0]
        return self.labels[best], probs[best], dict(zip(self.labels, probs)), contrib


@dataclass
class Model:
    name: str
    version: str
    fields: dict[str, FieldModel]
    meta: dict
    index: dict[str, int]
    matrix: np.ndarray = field(repr=False)  # every field's weights side by side, rows of index

    def __post_init__(self) -> None:
        self._bias = np.hstack([fm._bias for fm in self.fields.values()])
        self._temperature = np.hstack([np.full(len(fm.labels), fm.temperature) for fm in self.fields.values()])
        names = list(self.index)
        start = 0
        for fm in self.fields.values():
            fm.columns = slice(start, start + len(fm.labels))
            fm.index, fm.names, fm.matrix = self.index, names, self.matrix[:, fm.columns]
            start = fm.columns.stop
        self._by_lemma = _rows_by_lemma(self.index)

    @classmethod
    def build(cls, fields: dict[str, FieldModel], meta: dict) -> Model:
        """One model from fields trained apart: their vocabularies merged (in field order, then each field's
        own), each field's weights moved to its columns."""
        index: dict[str, int] = {}
        for fm in fields.values():
            for name in fm.names:
                index.setdefault(name, len(index))
        matrix = np.zeros((len(index), sum(len(fm.labels) for fm in fields.values())))
        start = 0
        for fm in fields.values():
            rows = np.fromiter(map(index.__getitem__, fm.names), np.intp, len(fm.names))
            matrix[rows, start:start + len(fm.labels)] = fm.matrix
            start += len(fm.labels)
        return cls(meta["name"], meta["version"], fields, meta, index, matrix)

    def save(self, path: Path) -> None:
        """weights.npz; the per-field settings are ``settings()``, which meta.json carries."""
        names = list(self.index)
        if any("\n" in name for name in names):
            raise ValueError("a feature name holds a newline")
        np.savez(path / WEIGHTS, names=np.frombuffer("\n".join(names).encode("utf-8"), np.uint8), matrix=self.matrix)

    def settings(self) -> dict[str, dict]:
        """Per field: labels, bias, temperature, strategy, rule floor and its columns of the weight matrix."""
        return {f: {"labels": fm.labels, "bias": fm.bias, "temperature": fm.temperature, "strategy": fm.strategy,
                    "rule_floor": fm.rule_floor, "columns": [fm.columns.start, fm.columns.stop]}
                for f, fm in self.fields.items()}

    @classmethod
    def load(cls, path: Path) -> Model:
        meta = orjson.loads((path / "meta.json").read_bytes())
        with np.load(path / WEIGHTS, allow_pickle=False) as npz:
            names = npz["names"].tobytes().decode("utf-8").split("\n")
            matrix = npz["matrix"]
        index = dict(zip(names, range(len(names))))
        fields = {}
        for f, st in meta["fields"].items():
            columns = slice(*st["columns"])
            fields[f] = FieldModel(f, st["labels"], st["bias"], st["temperature"], st["strategy"], st["rule_floor"],
                                   index, names, matrix[:, columns])
        model = cls(meta["name"], meta["version"], fields, meta, index, matrix)
        if [fm.columns for fm in fields.values()] != [slice(*st["columns"]) for st in meta["fields"].values()]:
            raise ValueError(f"{path}: the fields' columns in meta.json are not side by side in order")
        return model

    def features(self, doc: Document, hits: list[Hit], experience_id: str | None,
                 rule_labels: dict[str, str] | None = None) -> dict[int, list[int]]:
        """features() restricted to the features this model knows, in the same order, as row → token indices.
        Token features are found by lemma: no name is built for each token and looked up in the big index. The
        token walk mirrors features() (training needs every name); tests/test_model.py checks that they agree."""
        index = self.index
        feats: dict[int, list[int]] = defaultdict(list)
        for f, lab in (rule_labels or {}).items():
            if (row := index.get(f"rl:{f}={lab}")) is not None:
                feats[row] = []
        self._token_features(doc, feats)
        for h in hits:
            if h.rule.kind != "exclude" and (row := index.get("r:" + h.rule.id)) is not None:
                feats[row].append(h.start)
        if (row := index.get("x:" + str(experience_id))) is not None:
            feats[row] = []
        return feats

    def _token_features(self, doc: Document, feats: dict[int, list[int]]) -> None:
        """The token features, one section run at a time. A token that is not a word (a digit, a sign) gives no
        feature and ends a bigram: _rows_by_lemma keeps only lemmas that start with a letter, so it finds nothing
        as a lemma or as a bigram's first lemma, and no test is needed for it here."""
        title, duties, body, bigrams = self._by_lemma
        lemmas = doc.lemmas
        seconds = None  # the bigrams the previous token starts: second lemma → row
        for section, start, end in doc.runs:
            if section == "title":
                for i, row in enumerate(map(title.get, lemmas[start:end]), start):
                    if row is not None:
                        feats[row].append(i)
                seconds = None
            elif section in _BODY_SECTIONS:
                seconds = _body_run(feats, lemmas, start, end, (duties if section == "duties" else body).get, seconds)
            else:
                seconds = bigrams.get(lemmas[end - 1])

    def predict(self, feats: dict[int, list[int]]) -> dict[str, tuple]:
        """Every field's prediction from Model.features, the weight rows gathered and summed once for all fields."""
        row_ids = list(feats)
        tokens = list(feats.values())
        rows = self.matrix[row_ids]
        scores = (self._bias + np.add.reduce(rows, axis=0)) / self._temperature
        return {f: fm.decide(rows[:, fm.columns], scores[fm.columns], row_ids, tokens) for f, fm in self.fields.items()}


def _body_run(feats: dict[int, list[int]], lemmas: list[str], start: int, end: int, info, seconds):
    """The unigram and bigram features of tokens [start, end) of a body section; info(lemma) is (unigram row,
    the bigrams the lemma starts), one look-up a token. The bigrams the last token starts."""
    for i, lemma in enumerate(lemmas[start:end], start):
        found = info(lemma)
        row, following = found if found is not None else _NO_ROWS
        if row is not None:
            feats[row].append(i)
        if seconds is not None and (row := seconds.get(lemma)) is not None:
            feats[row].append(i)
        seconds = following
    return seconds


_NO_ROWS = (None, None)


def _rows_by_lemma(index: dict[str, int]) -> tuple[dict[str, int], dict[str, tuple], dict[str, tuple], dict]:
    """Rows of the "t:" features by lemma; for the "d:" and "b:" features (unigram row, {second lemma: "b2:" row})
    by lemma, the bigrams where the lemma comes first beside its own row; and those bigrams alone by first lemma.
    The lemmas are interned like the Lemmatizer's, so a look-up matches on identity. Only lemmas that start with a
    letter, as features() names them."""
    by_kind: dict[str, dict] = {"t": {}, "d": {}, "b": {}}
    bigrams: dict[str, dict[str, int]] = {}
    for name, row in index.items():
        kind, _, rest = name.partition(":")
        if kind in by_kind and rest[:1].isalpha():
            by_kind[kind][sys.intern(rest)] = row
        elif kind == "b2" and rest[:1].isalpha():
            j = rest.find("_")
            while j != -1:  # a lemma may hold "_": every split, one of them is the real one
                if rest[j + 1:j + 2].isalpha():
                    bigrams.setdefault(sys.intern(rest[:j]), {})[sys.intern(rest[j + 1:])] = row
                j = rest.find("_", j + 1)
    duties, body = ({lemma: (rows.get(lemma), bigrams.get(lemma)) for lemma in rows.keys() | bigrams.keys()}
                    for rows in (by_kind["d"], by_kind["b"]))
    return by_kind["t"], duties, body, bigrams


def find_model(models_dir: Path = MODELS_DIR) -> Path | None:
    """The newest model directory (models/<name>-<version>/ with meta.json), if any."""
    dirs = sorted((p for p in models_dir.glob("*/meta.json")), key=lambda p: p.parent.name)
    return dirs[-1].parent if dirs else None
