"""Words looked for with str.find in lowered text instead of a case-insensitive regex scan (service/lowered.py)."""
import re
import sys

import pytest

from service.experience import TOPIC_STARTS
from service.lowered import CASE_EXTRAS, lowered
from service.salary import grammar

CONTEXTS = (grammar().byn_context, grammar().kzt_context)


def test_lowered_text_finds_every_word_looked_for():
    """Every character re.I matches to a letter of a word looked for must lower to that letter or be in CASE_EXTRAS
    (lowered() gives None for a text with one)."""
    words = TOPIC_STARTS + tuple(w for c in CONTEXTS for w in c.words)
    every = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)
    for letter in set("".join(words)):
        for c in re.findall(re.escape(letter), every, re.I):
            assert c.lower() == letter or c in CASE_EXTRAS, (letter, hex(ord(c)))


@pytest.mark.parametrize("text", ["Минск", "г.Минск", "РЕСПУБЛИКА БЕЛАРУСЬ", "в РБ", "марка", "Алматы", "РК",
                                  "KZ-123", "Ꭱб", "ᲂпыт", "Казахстанский", "", "İ Минск"])
def test_a_context_answers_as_its_regex(text):
    for context in CONTEXTS:
        assert context.found(text, lowered(text)) == bool(context.rx.search(text))
