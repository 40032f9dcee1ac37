"""The shipped model: loads without executing code, matches what the API reports, predicts stably."""
import json
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient

from service.api import create_app
from service.evaluate import read_jsonl
from service.model import FieldModel, Model, features, find_model
from service.settings import Settings

MODEL_DIR = find_model()
FIXTURE = Path(__file__).parent / "fixtures" / "real_ads.jsonl"


def test_an_artifact_ships_and_holds_no_code():
    assert MODEL_DIR is not None, "models/<name>-<version>/ is missing"
    files = {p.name for p in MODEL_DIR.iterdir()}
    assert {"weights.npz", "meta.json", "MODEL_CARD.md", "examples.jsonl"} <= files
    assert not any(name.endswith((".pkl", ".pickle", ".joblib")) for name in files)
    assert sum(p.stat().st_size for p in MODEL_DIR.iterdir()) < 20 * 2**20
    with np.load(MODEL_DIR / "weights.npz", allow_pickle=False) as npz:  # raises on an object (pickled) array
        assert sorted(npz.files) == ["matrix", "names"]
        assert npz["matrix"].dtype == np.float64 and npz["names"].dtype == np.uint8


def test_save_then_load_gives_the_same_model(tmp_path):
    fields = {"a": FieldModel.from_weights("a", ["x", "y"], {"t:ключ": [0.5, -0.5], "b:сервер": [0.25, 0.0]},
                                           [0.1, -0.1], 1.5, "model", None),
              "b": FieldModel.from_weights("b", ["p", "q", "r"], {"b:сервер": [1.0, 2.0, 3.0], "x:None": [0, 0, 1]},
                                           [0.0, 0.0, 0.0], 1.0, "fused", 0.8)}
    built = Model.build(fields, {"name": "m", "version": "0"})
    built.save(tmp_path)
    (tmp_path / "meta.json").write_text(json.dumps({"name": "m", "version": "0", "fields": built.settings()}))
    loaded = Model.load(tmp_path)
    assert loaded.index == {"t:ключ": 0, "b:сервер": 1, "x:None": 2}
    assert loaded.matrix.tolist() == [[0.5, -0.5, 0, 0, 0], [0.25, 0.0, 1.0, 2.0, 3.0], [0, 0, 0, 0, 1]]
    for name, fm in loaded.fields.items():
        assert (fm.labels, fm.bias, fm.temperature, fm.strategy, fm.rule_floor, fm.columns) == (
            fields[name].labels, fields[name].bias, fields[name].temperature, fields[name].strategy,
            fields[name].rule_floor, built.fields[name].columns)
    assert loaded.fields["b"].matrix.tolist() == [[0, 0, 0], [1.0, 2.0, 3.0], [0, 0, 1]]


def test_a_feature_name_with_a_newline_is_refused(tmp_path):
    fm = FieldModel.from_weights("a", ["x"], {"b:два\nслова": [1.0]}, [0.0])
    with pytest.raises(ValueError, match="newline"):
        Model.build({"a": fm}, {"name": "m", "version": "0"}).save(tmp_path)


def test_meta_matches_what_the_api_reports():
    meta = json.loads((MODEL_DIR / "meta.json").read_text(encoding="utf-8"))
    with TestClient(create_app(Settings())) as client:
        version = client.get("/v1/version").json()
    assert version["model"] == f"{meta['name']}-{meta['version']}"
    for field in ("support_type", "seniority"):
        m = meta["metrics"]["fields"][field]
        assert m["strategy"] in ("rules", "model", "fused")
        assert set(m["per_label_fused"]) == set(m["labels"])


def test_meta_records_how_it_was_made():
    meta = json.loads((MODEL_DIR / "meta.json").read_text(encoding="utf-8"))
    assert meta["seed"] == 13 and "make train" in meta["command"]
    assert meta["data"]["sha256_16"] and meta["libraries"]["scikit-learn"]


def _examples():
    return {e["id"]: e for e in read_jsonl(MODEL_DIR / "examples.jsonl")}


@pytest.mark.parametrize("row", read_jsonl(FIXTURE), ids=lambda r: r["id"])
def test_predictions_on_real_ads_are_stable(pipeline, row):
    expected = _examples()[row["id"]]
    res = pipeline.classify(row["title"], row["description"], id=row["id"])
    for field in ("support_type", "seniority"):
        assert res[field]["label"] == expected[field]["label"]
        assert res[field]["model"]["label"] == expected[field]["model_label"]
        for label, p in expected[field]["probabilities"].items():
            assert res[field]["model"]["probabilities"][label] == pytest.approx(p, abs=1e-3)
    audience = res["facts"]["audience"]
    if expected["audience"] is None:
        assert audience is None
    else:
        assert audience["value"] == expected["audience"]["value"]
        assert audience["confidence"] == pytest.approx(expected["audience"]["confidence"], abs=1e-3)


@pytest.mark.parametrize("title,text,expected", [
    # technical support: the audience model reads whom it serves
    ("Специалист технической поддержки", "Обязанности:\nконсультирование клиентов компании по работе с нашим "
     "облачным сервисом, разбор обращений клиентов", "external"),
    ("Инженер технической поддержки (HelpDesk)", "Обязанности:\nподдержка сотрудников офиса, настройка рабочих мест "
     "пользователей, обслуживание оргтехники", "internal"),
    # customer service serves clients by definition; no support, no audience
    ("Оператор колл-центра", "Обязанности:\nприём входящих звонков, консультирование по заказам и доставке",
     "external"),
    ("Программист Python", "Обязанности:\nразработка backend-сервисов", None),
])
def test_audience(pipeline, title, text, expected):
    res = pipeline.classify(title, text)
    audience = res["facts"]["audience"]
    assert (audience["value"] if audience else None) == expected
    for ev in audience["evidence"] if audience else []:
        assert {"title": title, "description": text}[ev["field"]][ev["start"]:ev["end"]] == ev["text"]
        assert len(ev["text"]) >= 3


def test_model_decisions_point_into_the_text(pipeline):
    row = read_jsonl(FIXTURE)[0]
    res = pipeline.classify(row["title"], row["description"])
    for field in ("support_type", "seniority"):
        for feat in res[field]["model"]["top_features"]:
            for span in feat["spans"]:
                assert row[span["field"]][span["start"]:span["end"]] == span["text"]


def test_model_features_are_the_known_named_features_in_order(pipeline):
    """Serving finds features by lemma (Model.features); training names them (features()): same rows, order, tokens,
    and the same prediction either way."""
    model = pipeline.model
    for row in read_jsonl(FIXTURE):
        res, doc, hits, rules = pipeline.classify_with_trace(row["title"], row["description"])
        exp = res["experience"]["id"] if res["experience"] else None
        labels = {f: d["label"] for f, d in rules.items()}
        assert labels["audience"] in ("external", "internal", "none")  # the audience cues, before _audience
        for f in ("support_type", "seniority"):
            assert labels[f] == res[f]["rule_label"]
        assert labels["work_format"] == res["work_format"]["label"]
        named = features(doc, hits, exp, labels)
        by_row = model.features(doc, hits, exp, labels)
        assert list(by_row.items()) == [(model.index[n], t) for n, t in named.items() if n in model.index]
        predicted = model.predict(by_row)
        for field, fm in model.fields.items():
            assert fm.predict(named) == predicted[field]
