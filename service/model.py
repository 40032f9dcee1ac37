"""A linear text classifier per field, scored in plain Python from a JSON artifact.

Training (service/train.py) fits scikit-learn's LogisticRegression; serving needs
only the weights: a dict feature → per-class weights, so loading executes no code
(no pickle) and scoring one ad is a few hundred dict look-ups (~0.05 ms).
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

from .document import Document
from .rules import Hit

MODELS_DIR = Path(__file__).resolve().parent.parent / "models"
_BODY_SECTIONS = frozenset({"intro", "duties", "requirements", "body"})


def features(doc: Document, hits: list[Hit], experience_id: str | None,
             rule_labels: dict[str, str] | None = None) -> dict[str, list[int]]:
    """Feature name → token indices that produced it (for evidence spans)."""
    feats: dict[str, list[int]] = {f"rl:{f}={lab}": [] for f, lab in (rule_labels or {}).items()}
    prev = None
    for i, tok in enumerate(doc.tokens):
        lemma = tok.lemma
        if not lemma[:1].isalpha():
            prev = None
            continue
        if tok.section == "title":
            feats.setdefault("t:" + lemma, []).append(i)
        elif tok.section in _BODY_SECTIONS:
            prefix = "d:" if tok.section == "duties" else "b:"
            feats.setdefault(prefix + lemma, []).append(i)
            if prev is not None:
                feats.setdefault("b2:" + prev + "_" + lemma, []).append(i)
        prev = lemma if tok.section != "title" else None
    for h in hits:
        if h.rule.kind != "exclude":
            feats.setdefault("r:" + h.rule.id, []).append(h.start)
    feats["x:" + str(experience_id)] = []
    return feats


@dataclass
class FieldModel:
    field: str
    labels: list[str]
    weights: dict[str, list[float]]
    bias: list[float]
    temperature: float = 1.0
    strategy: str = "fused"

    def predict(self, feats: dict[str, list[int]]) -> tuple[str, float, dict[str, float], list[tuple[str, float, list[int]]]]:
        """(label, probability, all probabilities, top contributing features with their tokens)."""
        n = len(self.labels)
        scores = list(self.bias)
        present = []
        for name, idx in feats.items():
            w = self.weights.get(name)
            if w is not None:
                present.append((name, w, idx))
                for k in range(n):
                    scores[k] += w[k]
        t = self.temperature
        top = max(scores)
        exps = [math.exp((s - top) / t) for s in scores]
        z = sum(exps)
        probs = [e / z for e in exps]
        best = max(range(n), key=probs.__getitem__)
        contrib = sorted(((name, w[best], idx) for name, w, idx in present if w[best] > 0), key=lambda c: -c[1])[:6]
        return self.labels[best], probs[best], dict(zip(self.labels, probs)), contrib


@dataclass
class Model:
    name: str
    version: str
    fields: dict[str, FieldModel]
    meta: dict

    @classmethod
    def load(cls, path: Path) -> Model:
        with open(path / "weights.json", encoding="utf-8") as fh:
            data = json.load(fh)
        with open(path / "meta.json", encoding="utf-8") as fh:
            meta = json.load(fh)
        fields = {f: FieldModel(f, d["labels"], d["weights"], d["bias"], d.get("temperature", 1.0),
                                d.get("strategy", "fused")) for f, d in data["fields"].items()}
        return cls(meta["name"], meta["version"], fields, meta)


def find_model(models_dir: Path = MODELS_DIR) -> Path | None:
    """The newest model directory (models/<name>-<version>/ with meta.json), if any."""
    dirs = sorted((p for p in models_dir.glob("*/meta.json")), key=lambda p: p.parent.name)
    return dirs[-1].parent if dirs else None
