"""The tokenizer's fast pattern finds the tokens the plain pattern finds."""
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from service.document import _TOKEN, split_tokens

# the pattern as written before the look-ahead and the possessive repeats
PLAIN = re.compile(r"\d+(?:/\d+)+|\w+(?:[-+]\w+|[.:](?=[\da-z])\w+)*|[^\w\s]")
PIECES = "аяZz09_-+.:/ \n\t,;!ё²٣"


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=st.sampled_from(PIECES), max_size=40) | st.text(max_size=40))
def test_tokens_are_the_plain_patterns(text):
    plain = [(m.group(), m.start(), m.end()) for m in PLAIN.finditer(text)]
    assert [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)] == plain
    words, starts, ends = split_tokens(text)
    assert list(zip(words, starts, ends)) == plain
