"""Homonyms and forms this domain depends on: the lemmatizer mode is pinned by these."""
import pytest


@pytest.mark.parametrize("word,lemma", [
    ("удалённая", "удаленный"),      # adjective, not the participle's verb "удалить"
    ("удаленная", "удаленный"),
    ("удаленно", "удаленно"),
    ("часов", "час"),                # not "часы"
    ("базе", "база"),                # not "баз"
    ("лет", "год"),
    ("продажи", "продажа"),
    ("знаний", "знание"),
    ("обучим", "обучить"),
    ("смены", "смена"),
    ("линии", "линия"),
    ("техподдержки", "техподдержка"),
    ("оператора", "оператор"),
    ("ведущий", "ведущий"),          # not "вести"
    ("ведущего", "ведущий"),
    ("старшего", "старший"),
    ("руководителя", "руководитель"),
    ("тимлида", "тимлид"),           # pymorphy3 guesses "тимлида"
    ("выезды", "выезд"),
    ("звонки", "звонок"),
    ("клиентов", "клиент"),
    ("гибридный", "гибридный"),
    ("call-центра", "колл-центр"),
    ("стажёра", "стажер"),
    ("ПО", "ПО"),                    # software, kept apart from the preposition
    ("по", "по"),
    ("Linux", "linux"),
    ("1С", "1с"),
])
def test_lemma(pipeline, word, lemma):
    assert pipeline.lemmatizer.lemma(word) == lemma


def test_lemma_cache_is_filled_once(pipeline):
    lem = pipeline.lemmatizer
    lem.lemma("неисправностями")
    size = len(lem.cache)
    lem.lemma("неисправностями")
    assert len(lem.cache) == size


def test_the_shipped_lemma_table_is_current_and_loaded(pipeline):
    import json
    import random

    from service.lemma_cache import CACHE_FILE, signature
    from service.lemmas import Lemmatizer
    from service.rules import load_lemma_overrides

    data = json.loads(CACHE_FILE.read_text(encoding="utf-8"))
    assert data["signature"] == signature(), "rebuild it: make lemmas"
    table = data["lemmas"]
    assert all(pipeline.lemmatizer.cache.get(w) is not None for w in list(table)[:100])
    fresh = Lemmatizer(*load_lemma_overrides())
    sample = random.Random(7).sample(sorted(table), 300)
    assert {w: table[w] for w in sample} == {w: fresh.lemma(w) for w in sample}


def test_a_table_built_for_another_lemmatizer_is_ignored(tmp_path):
    import json

    from service.lemma_cache import warm
    from service.lemmas import Lemmatizer

    stale = tmp_path / "lemma-cache.json"
    stale.write_text(json.dumps({"signature": {"logic": -1}, "lemmas": {"часов": "часы"}}), encoding="utf-8")
    lem = Lemmatizer()
    assert warm(lem, stale) == 0
    assert lem.lemma("часов") == "час"
