"""Case-insensitive look-ups with str.find in text.lower(): far faster than a case-insensitive regex scan of a
whole ad, and sound when the lowered text lines up with the text and every character that re.I equates with a
letter looked for lowers to that letter (tests check all of Unicode for the letters looked for)."""
from __future__ import annotations

# Characters re.I equates with a letter looked for although they do not lower to it: İ ı, rounded Cyrillic ᲀ-ᲈ
# (a str.find for each is 5x faster than a regex scan for the class).
CASE_EXTRAS = "\u0130\u0131" + "".join(map(chr, range(0x1C80, 0x1C89)))


_last: tuple[str, str | None] = ("", "")  # the experience and salary parsers read one Document.text in turn


def lowered(text: str) -> str | None:
    """text.lower() when a word found in it is where a re.I search of text would find it; else None."""
    global _last
    last_text, last_low = _last
    if text is last_text:
        return last_low
    low = text.lower()
    if len(low) != len(text) or any(c in text for c in CASE_EXTRAS):
        low = None
    _last = (text, low)
    return low
