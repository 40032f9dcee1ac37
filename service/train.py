"""Train the field models: `python -m service.train` (or `make train`).

Data: the hand labels (labeled_dev.jsonl + data/labeled_extra_*.jsonl), split by
service.evaluate.split_of; only `train` ids are fitted on, `heldout` ids are scored.
Weak supervision: the ~14k real ads of vacancies.jsonl, labelled by the rule engine
where it is confident and by hh.ru's own fields (professional role, experience)
where those are reliable; each source's noise is measured on the hand labels.
Seeded and deterministic: the same data gives the same weights and metrics.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import platform
import sys
from collections import Counter
from pathlib import Path

from . import __version__
from .evaluate import read_jsonl, scores, split_of
from .fuse import FUSION, RULE_FLOORS, STRATEGIES, fuse
from .model import FieldModel, Model, features
from .pipeline import Pipeline

FIELDS = ("support_type", "seniority", "audience")
LABELS = {"support_type": ["customer", "not_support", "sales_hybrid", "technical"],
          "seniority": ["entry", "lead", "senior", "specialist"],
          "audience": ["external", "internal", "none"]}
# Whom technical support serves is the open question: customer service serves clients by definition, and a job
# that is no support has no audience (service.pipeline._audience). So the audience model learns from technical ads.
TRAINED_ON = {"audience": lambda row: row["support_type"] == "technical"}
NOT_SUPPORT_ROLES = ("Программист", "DevOps", "Инженер-конструктор", "Тестировщик", "Технолог", "Инженер ПТО",
                     "Аналитик", "Инженер по охране", "Инженер-энергетик", "Дата-сайентист", "Архитектор",
                     "BI-аналитик", "Главный инженер проекта", "Бухгалтер", "Водитель", "Курьер", "Юрист",
                     "Менеджер по закупкам", "Научный специалист", "Руководитель группы разработки",
                     "Инженер по качеству", "Инженер-электроник", "Слесарь", "Экономист", "Прораб")
HH_EXPERIENCE_TIER = {"noExperience": "entry", "between1And3": "specialist", "between3And6": "senior",
                      "moreThan6": "senior"}
GOLD_WEIGHT = 1.0
WEAK_WEIGHTS = (0.0, 0.1, 0.3)  # 0: hand labels only
CV_TOLERANCE = 0.005
CV_REPEATS = 3  # fold draws averaged to choose the weak weight


def _weak_support_type(row: dict, rule: dict) -> str | None:
    roles = " ".join(row.get("professional_roles") or []) + " " + " ".join(map(str, row.get("specializations") or []))
    label, conf = rule["label"], rule["confidence"]
    if any(r in roles for r in NOT_SUPPORT_ROLES) and label == "not_support":
        return "not_support"
    return label if conf >= 0.75 else None


def _weak_seniority(row: dict, rule: dict) -> str | None:
    if rule["confidence"] >= 0.75:
        return rule["label"]
    return HH_EXPERIENCE_TIER.get(row.get("experience") or "")


WEAK = {"support_type": _weak_support_type, "seniority": _weak_seniority}  # fields with weak labels


def _digest(paths: list[Path]) -> str:
    h = hashlib.sha256()
    for p in paths:
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


def gold_label(row: dict, field: str) -> str:
    value = row.get(field)
    return "none" if field == "audience" and value is None else value


class Featurizer:
    """An ad → (model features, the rules' decision per field: label, confidence, reason)."""

    def __init__(self, pipeline: Pipeline) -> None:
        self.pipeline = pipeline

    def __call__(self, row: dict) -> tuple[dict, dict]:
        p = self.pipeline
        result, doc, hits, rules = p.classify_with_trace(row.get("title") or "", row.get("description") or "")
        exp = result["experience"]["id"] if result["experience"] else None
        return features(doc, hits, exp, {f: d["label"] for f, d in rules.items()}), rules


def _with_weak(X_gold, y_gold: list, X_weak, y_weak: list, weak_weight: float):
    """(X, y, sample weights) of the hand labels plus, when weak_weight is not 0, the weak ones."""
    from scipy.sparse import vstack

    w = [GOLD_WEIGHT] * len(y_gold)
    if not weak_weight:
        return X_gold, list(y_gold), w
    return vstack([X_gold, X_weak]), list(y_gold) + y_weak, w + [weak_weight] * len(y_weak)


def _fit(X, y, w, labels, C, seed):
    from sklearn.linear_model import LogisticRegression

    clf = LogisticRegression(C=C, max_iter=3000, class_weight="balanced", random_state=seed)
    clf.fit(X, y, sample_weight=w)
    order = [list(clf.classes_).index(lab) for lab in labels]
    return clf, order


def _probs(clf, order, X):
    return clf.predict_proba(X)[:, order]


def _temperature(probs, y_idx) -> float:
    """Temperature that minimises the log-loss of out-of-fold probabilities."""
    import numpy as np

    logits = np.log(np.clip(probs, 1e-12, 1))
    best, best_t = float("inf"), 1.0
    for t in np.arange(0.5, 3.01, 0.05):
        z = logits / t
        z = z - z.max(axis=1, keepdims=True)
        p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
        loss = -np.mean(np.log(np.clip(p[np.arange(len(y_idx)), y_idx], 1e-12, 1)))
        if loss < best:
            best, best_t = loss, float(t)
    return round(best_t, 2)


def ece(conf: list[float], correct: list[bool], bins: int = 10) -> float:
    total = len(conf)
    out = 0.0
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        idx = [i for i, c in enumerate(conf) if lo < c <= hi or (b == 0 and c == 0)]
        if idx:
            acc = sum(correct[i] for i in idx) / len(idx)
            avg = sum(conf[i] for i in idx) / len(idx)
            out += len(idx) / total * abs(acc - avg)
    return round(out, 4)


EXAMPLE_ADS = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "real_ads.jsonl"


def _decide(field: str, rows_f: list, preds: list, strategy: str, floor: float | None) -> list[tuple[str, float]]:
    return [fuse(field, res[field], lab, p, probs, strategy, floor)[:2]
            for (_, res), (lab, p, probs, _) in zip(rows_f, preds)]


def _report(field: str, gold: list[str], rows_f: list, preds: list, strategy: str, floor: float | None) -> dict:
    """Rules alone, model alone and the final label on one set of hand labels."""
    rule_pred = [res[field]["label"] for _, res in rows_f]
    model_pred = [p[0] for p in preds]
    final = _decide(field, rows_f, preds, strategy, floor)
    fused_pred = [d[0] for d in final]
    metric = scores(gold, fused_pred)
    keys = ("accuracy", "macro_f1")
    return {"n": len(gold),
            "rules_only": {k: scores(gold, rule_pred)[k] for k in keys},
            "model_only": {k: scores(gold, model_pred)[k] for k in keys},
            "fused": {k: metric[k] for k in keys},
            "per_label_fused": metric["per_label"],
            "per_label_model": scores(gold, model_pred)["per_label"],
            "ece_model": ece([p[1] for p in preds], [a == b for a, b in zip(model_pred, gold)]),
            "ece_fused": ece([d[1] for d in final], [a == b for a, b in zip(fused_pred, gold)])}


def write_examples(out_dir: Path) -> None:
    """The new artifact's predictions on a fixed table of real ads; tests/test_model.py checks the
    served pipeline reproduces them, so an artifact and its table always travel together."""
    pipeline = Pipeline(model_dir=out_dir)
    with open(out_dir / "examples.jsonl", "w", encoding="utf-8") as fh:
        for row in read_jsonl(EXAMPLE_ADS):
            res = pipeline.classify(row["title"], row["description"], id=row["id"])
            line = {"id": row["id"]}
            for field in FIELDS:
                if field == "audience":  # a fact, decided with the model on technical ads
                    fact = res["facts"]["audience"]
                    line[field] = {"value": fact["value"], "confidence": fact["confidence"]} if fact else None
                    continue
                model = res[field]["model"]
                line[field] = {"label": res[field]["label"], "model_label": model["label"],
                               "probabilities": model["probabilities"]}
            fh.write(json.dumps(line, ensure_ascii=False, sort_keys=True) + "\n")


def model_card(meta: dict) -> str:
    m = meta["metrics"]
    rows = []
    for field, f in m["fields"].items():
        for name in ("rules_only", "model_only", "fused"):
            test = f["test"][name] if f.get("test") else None
            rows.append(f"| {field} | {name.replace('_only', '').replace('fused', 'final')} | "
                        f"{f[name]['accuracy']:.3f} | {f[name]['macro_f1']:.3f} | "
                        + (f"{test['accuracy']:.3f} | {test['macro_f1']:.3f} |" if test else "— | — |"))
    per_label = []
    for field, f in m["fields"].items():
        for lab, s in f["per_label_fused"].items():
            per_label.append(f"| {field} | {lab} | {s['precision']:.2f} | {s['recall']:.2f} | {s['f1']:.2f} | "
                             f"{s['support']} |")
    fields = m["fields"]
    cv_text = "; ".join(f"{k} " + ", ".join(f"{a} {b}" for a, b in v["cv_train"].items() if a != "metric")
                        for k, v in fields.items())
    weak_text = "; ".join(f"{k}: " + ", ".join(f"{w} → {v}" for w, v in f["cv_weak_weights"].items())
                          + f", chosen {f['weak_weight']}" for k, f in fields.items() if k in WEAK)
    st_noise = fields["support_type"]["weak_label_noise"]
    sn_noise = fields["seniority"]["weak_label_noise"]
    return f"""# Model card: {meta['name']} {meta['version']}

**What it is.** One multinomial logistic regression per field (`support_type`, `seniority`, and `audience`,
whom technical support serves: learnt on technical ads only, since customer service serves clients by definition
and a job that is no support has no audience) over the
lemmas of the title, the duties and the rest of the ad, lemma bigrams, the ids of the rules that fired,
the rules' own labels and the experience bucket. Weights live in `weights.npz` (numpy arrays, loaded
without pickle) and the fields' settings in `meta.json`; `service/model.py` scores them with dict look-ups.
Trained by `{meta['command']}` (seed {meta['seed']},
scikit-learn {meta['libraries']['scikit-learn']}).

**Intended use.** Labelling Russian job ads in the support field together with the rules of
`rules/` (rules version {meta['rules_version']}); per field, the strategy (and rule-confidence floor) picked on
the held-out split: {', '.join(f"{k}: `{v['strategy']}`" + (f" (floor {v['rule_floor']})" if v['strategy'] == 'fused'
                              else '') for k, v in fields.items())}. Not by cross-validation on the train split:
the rules were written while reading it, so out-of-fold scores there flatter them (train-split CV:
{cv_text}).

**Data.** Hand labels: {', '.join(meta['data']['gold'])} ({m['n_train_gold']} train ads, {m['n_heldout']} held-out ads,
split by `service.evaluate.split_of`). Weak labels on {meta['data']['weak']}: the rules where they are confident
(confidence ≥ 0.75) and hh.ru's own fields (professional role for clear non-support roles, the experience
bucket for seniority). Their weight against 1.0 for a hand label is chosen per field by 5-fold
cross-validation on the train split (mean of {CV_REPEATS} fold draws), the smallest within {CV_TOLERANCE} of the
best ({weak_text}): 0 means the field learns from hand labels only. Measured on the hand labels, the weak labels
agree with them on
{st_noise['accuracy']} of support types (coverage {st_noise['coverage']})
and {sn_noise['accuracy']} of seniority tiers (coverage {sn_noise['coverage']}).
Data hash: `{meta['data']['sha256_16']}`.

**Quality.** Held-out split ({m['n_heldout']} ads): never trained on, but the fusion strategy was chosen on it.
Test set ({m['n_test']} ads, {', '.join(meta['data']['test']) or 'none'}): labelled by people who never saw
the system's output, never used to write a rule, fit a weight or make a choice (its figures are only read) —
the figures to quote. Ads whose text reposts one in the other files (same description under another id) are
in it too; see the README for the figures without them.

| field | decided by | held-out accuracy | held-out macro-F1 | test accuracy | test macro-F1 |
|---|---|---|---|---|---|
{chr(10).join(rows)}

Expected calibration error (10 bins) of the confidence, held-out split: support_type model
{fields['support_type']['ece_model']}, fused {fields['support_type']['ece_fused']}; seniority model
{fields['seniority']['ece_model']},
fused {fields['seniority']['ece_fused']} (temperatures {fields['support_type']['temperature']} /
{fields['seniority']['temperature']}, fitted on out-of-fold train predictions); on the test set support_type
model {fields['support_type']['test']['ece_model'] if fields['support_type'].get('test') else '—'}, seniority
fused {fields['seniority']['test']['ece_fused'] if fields['seniority'].get('test') else '—'}.

The audience rows are technical ads only ({fields['audience']['n']} held-out, {fields['audience']['test']['n'] if
fields['audience'].get('test') else 0} test), the only ads whose audience the model decides.

Per label, final label, held-out split:

| field | label | precision | recall | F1 | n |
|---|---|---|---|---|---|
{chr(10).join(per_label)}

**Limits.** A small hand-labelled set ({m['n_train_gold'] + m['n_heldout']} ads plus {m['n_test']} test ads),
most of them hh.ru search snippets; the
customer / sales_hybrid / not_support boundary is where it does worst (labellers themselves mark most
sales_hybrid ads `low` confidence). Russian text only; English ads get the rules' and the lemma
features' best effort. Weak labels come from the rules, so the model inherits some of their blind spots.
"""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--shared-data", default=str(Path(__file__).resolve().parents[2] / "shared" / "data"))
    ap.add_argument("--extra", nargs="*",
                    default=sorted(str(p) for p in (Path(__file__).resolve().parents[1] / "data")
                                   .glob("labeled_extra_*.jsonl")))
    ap.add_argument("--test", nargs="*",
                    default=sorted(str(p) for p in (Path(__file__).resolve().parents[1] / "data")
                                   .glob("labeled_test_*.jsonl")),
                    help="Hand labels never used for rules, training or choices: only reported.")
    ap.add_argument("--out", default=str(Path(__file__).resolve().parents[1] / "models"))
    ap.add_argument("--name", default="vactag-linear")
    ap.add_argument("--version", default="1.9.0")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--weak-weight", type=float, default=None,
                    help=f"weight of a weak label against 1.0 for a hand label; default: per field, the one of "
                         f"{WEAK_WEIGHTS} that scores best by cross-validation on the train split")
    ap.add_argument("--min-count", type=int, default=5)
    ap.add_argument("--C", type=float, default=0.3)
    args = ap.parse_args(argv)

    import numpy as np
    import sklearn
    from scipy.sparse import csr_matrix

    shared = Path(args.shared_data)
    gold_paths = [shared / "labeled_dev.jsonl", *map(Path, args.extra)]
    weak_path = shared / "vacancies.jsonl"
    gold = {}
    for p in gold_paths:
        for r in read_jsonl(p):
            gold.setdefault(r["id"], r)
    gold_rows = list(gold.values())
    train_gold = [r for r in gold_rows if split_of(r["id"]) == "train"]
    held_gold = [r for r in gold_rows if split_of(r["id"]) == "heldout"]
    test_gold = [r for p in map(Path, args.test) for r in read_jsonl(p) if r["id"] not in gold]

    pipeline = Pipeline()
    pipeline.model = None  # the model must not see itself while it is trained
    featurize = Featurizer(pipeline)

    test_ids = {r["id"] for r in test_gold}
    weak_rows = [r for r in read_jsonl(weak_path) if r["id"] not in gold and r["id"] not in test_ids]
    print(f"gold: {len(train_gold)} train / {len(held_gold)} heldout; weak pool: {len(weak_rows)}", file=sys.stderr)

    def featurize_all(rows):
        return [featurize(r) for r in rows]

    f_train = featurize_all(train_gold)
    f_held = featurize_all(held_gold)
    f_test = featurize_all(test_gold)
    f_weak = featurize_all(weak_rows)

    # noise of the weak sources, measured on every hand-labelled ad
    noise = {}
    for field, weak_fn in WEAK.items():
        pairs = []
        for r, (_, res) in zip(train_gold + held_gold, f_train + f_held):
            w = weak_fn(r, res[field])
            if w is not None:
                pairs.append(w == r[field])
        noise[field] = {"coverage": round(len(pairs) / len(gold_rows), 3),
                        "accuracy": round(sum(pairs) / len(pairs), 3) if pairs else None}

    counts = Counter()
    for feats, _ in f_train + f_weak:
        counts.update(feats.keys())
    vocab = sorted(k for k, c in counts.items() if c >= args.min_count)
    index = {k: i for i, k in enumerate(vocab)}

    def matrix(fs):
        rows, cols = [], []
        for i, (feats, _) in enumerate(fs):
            for k in feats:
                j = index.get(k)
                if j is not None:
                    rows.append(i)
                    cols.append(j)
        return csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(fs), len(vocab)))

    X_train, X_weak = matrix(f_train), matrix(f_weak)

    trained: dict[str, FieldModel] = {}
    metrics = {"split": "heldout", "n_heldout": len(held_gold), "n_train_gold": len(train_gold),
               "n_test": len(test_gold), "fields": {}}
    rng = np.random.RandomState(args.seed)
    folds = rng.randint(0, 5, size=len(train_gold))
    # more fold draws only to choose the weak labels' weight: one draw's macro-F1 moves with a couple of hybrids
    weak_folds = [folds] + [np.random.RandomState(args.seed + r).randint(0, 5, size=len(train_gold))
                            for r in range(1, CV_REPEATS)]

    for field in FIELDS:
        labels = LABELS[field]
        keep = TRAINED_ON.get(field, lambda row: True)
        ti, hi, si = ([i for i, r in enumerate(rows) if keep(r)] for rows in (train_gold, held_gold, test_gold))
        tr_rows, f_tr, X_tr = [train_gold[i] for i in ti], [f_train[i] for i in ti], X_train[ti]
        field_folds = [f[ti] for f in weak_folds]
        h_rows, f_h = [held_gold[i] for i in hi], [f_held[i] for i in hi]
        t_rows, f_t = [test_gold[i] for i in si], [f_test[i] for i in si]
        y_gold = [gold_label(r, field) for r in tr_rows]
        weak_fn = WEAK.get(field)
        weak_idx, y_weak = [], []
        for i, (r, (_, res)) in enumerate(zip(weak_rows, f_weak) if weak_fn else ()):
            lab = weak_fn(r, res[field])
            if lab in labels:
                weak_idx.append(i)
                y_weak.append(lab)
        Xw = X_weak[weak_idx]

        # out-of-fold probabilities on the gold train split → the weak labels' weight, temperature, fusion policy
        def out_of_fold(weak_weight: float, folds=field_folds[0], y_gold=y_gold, Xw=Xw, y_weak=y_weak, labels=labels,
                        X_tr=X_tr):
            oof = np.zeros((len(y_gold), len(labels)))
            for k in range(5):
                tr = np.where(folds != k)[0]
                te = np.where(folds == k)[0]
                clf, order = _fit(*_with_weak(X_tr[tr], [y_gold[i] for i in tr], Xw, y_weak, weak_weight), labels,
                                  args.C, args.seed)
                oof[te] = _probs(clf, order, X_tr[te])
            return oof

        headline = "macro_f1" if field == "support_type" else "accuracy"
        weak_grid = [0.0] if not weak_fn else [args.weak_weight] if args.weak_weight is not None else WEAK_WEIGHTS
        oofs = {ww: [out_of_fold(ww, f) for f in field_folds] if len(weak_grid) > 1 else [out_of_fold(ww)]
                for ww in weak_grid}
        cv_weak = {ww: round(float(np.mean([scores(y_gold, [labels[i] for i in o.argmax(axis=1)])[headline]
                                            for o in runs])), 4) for ww, runs in oofs.items()}
        # the least weak data whose score is within CV_TOLERANCE of the best: differences smaller than that are
        # one or two ads of the rarest class, not evidence that the noisier labels help
        weak_weight = min(ww for ww in weak_grid if cv_weak[ww] >= max(cv_weak.values()) - CV_TOLERANCE)
        oof = oofs[weak_weight][0]
        y_idx = np.array([labels.index(v) for v in y_gold])
        temperature = _temperature(oof, y_idx)
        # which of rules / model / fused (and, for fused, which rule-confidence floor) scores best out of fold

        def cv_score(strategy: str, floor: float | None = None, field=field, labels=labels, oof=oof,
                     y_gold=y_gold, headline=headline, f_tr=f_tr) -> float:
            pred = []
            for (_, res), pr in zip(f_tr, oof):
                k = int(np.argmax(pr))
                pred.append(fuse(field, res[field], labels[k], float(pr[k]), dict(zip(labels, pr)), strategy,
                                 floor)[0])
            return scores(y_gold, pred)[headline]

        cv_floors = {floor: cv_score("fused", floor) for floor in RULE_FLOORS}
        cv_floor = max(RULE_FLOORS, key=lambda f, floors=cv_floors: (floors[f], -abs(f - 0.8)))
        cv = {"rules": cv_score("rules"), "model": cv_score("model"), "fused": cv_floors[cv_floor]}

        clf, order = _fit(*_with_weak(X_tr, y_gold, Xw, y_weak, weak_weight), labels, args.C, args.seed)
        coef = clf.coef_ if len(clf.classes_) > 2 else np.vstack([-clf.coef_, clf.coef_])
        coef = coef[order]
        bias = clf.intercept_[order]
        weights = {vocab[j]: [round(float(coef[c, j]), 4) for c in range(len(labels))]
                   for j in range(len(vocab)) if np.any(np.abs(coef[:, j]) >= 1e-3)}
        # in name order, as the fields are below: the weights' layout (and so the order of equal contributions)
        # does not depend on the order the features were met or the fields trained in
        fm = FieldModel.from_weights(field, labels, dict(sorted(weights.items())),
                                     [round(float(b), 4) for b in bias], temperature)

        # The strategy and the rule floor are picked on the held-out split: the rules were written while reading
        # the train split, so out-of-fold scores there flatter them. The test files then give the figures.
        gold_h = [gold_label(r, field) for r in h_rows]
        pred_h = [fm.predict(feats) for feats, _ in f_h]
        choices = [(st, None) for st in STRATEGIES if st != "fused"] + [("fused", f) for f in RULE_FLOORS]
        held_scores = {c: scores(gold_h, [d[0] for d in _decide(field, f_h, pred_h, *c)])[headline]
                       for c in choices}
        strategy, rule_floor = max(choices, key=lambda c: (held_scores[c], c[0] == "fused",
                                                           -abs((c[1] or 0.8) - 0.8)))
        fm.strategy, fm.rule_floor = strategy, rule_floor
        trained[field] = fm
        gold_t = [gold_label(r, field) for r in t_rows]
        pred_t = [fm.predict(feats) for feats, _ in f_t]
        metrics["fields"][field] = {
            "labels": labels,
            **_report(field, gold_h, f_h, pred_h, strategy, rule_floor),
            "test": _report(field, gold_t, f_t, pred_t, strategy, rule_floor) if t_rows else None,
            "trained_on": "technical ads (gold support_type)" if field in TRAINED_ON else "all ads",
            "n_train": len(tr_rows),
            "temperature": temperature,
            "strategy": strategy,
            "rule_floor": rule_floor,
            "heldout_choices": {f"{st}" + (f"@{fl}" if fl else ""): v for (st, fl), v in held_scores.items()},
            "cv_rule_floors": {str(k): v for k, v in cv_floors.items()},
            "cv_train": {"metric": headline, **cv},
            "weak_examples": len(y_weak) if weak_weight else 0,
            "weak_weight": weak_weight,
            "cv_weak_weights": {str(k): v for k, v in cv_weak.items()},
            "weak_label_noise": noise.get(field),
            "features": len(weights),
        }

    out_dir = Path(args.out) / f"{args.name}-{args.version}"
    out_dir.mkdir(parents=True, exist_ok=True)
    meta = {
        "name": args.name, "version": args.version, "service_version": __version__,
        "rules_version": pipeline.rules.version, "fusion": FUSION,
        "libraries": {"python": platform.python_version(), "scikit-learn": sklearn.__version__,
                      "numpy": np.__version__},
        "seed": args.seed, "hyperparameters": {"C": args.C,
                                               "weak_weight": {f: metrics["fields"][f]["weak_weight"] for f in FIELDS},
                                               "min_count": args.min_count, "class_weight": "balanced"},
        "data": {"gold": [p.name for p in gold_paths], "test": [Path(p).name for p in args.test],
                 "weak": weak_path.name, "sha256_16": _digest(gold_paths + [Path(p) for p in args.test] + [weak_path])},
        "command": "make train  # python -m service.train --seed 13",
        "metrics": metrics,
    }
    model = Model.build({f: trained[f] for f in sorted(trained)}, meta)
    model.save(out_dir)
    meta["fields"] = model.settings()
    with open(out_dir / "meta.json", "w", encoding="utf-8") as fh:
        json.dump(meta, fh, ensure_ascii=False, indent=1, sort_keys=True)
    (out_dir / "MODEL_CARD.md").write_text(model_card(meta), encoding="utf-8")
    write_examples(out_dir)
    print(json.dumps({f: {k: metrics["fields"][f][k] for k in ("strategy", "cv_train", "rules_only", "model_only",
                                                                 "fused", "ece_model", "ece_fused", "weak_label_noise")}
                      for f in FIELDS}, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
