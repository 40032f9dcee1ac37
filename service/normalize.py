"""Caller text → matching text, with a map back to the caller's offsets.

Every transformation records, per output character, the [start, end) of the
input characters it came from, so evidence spans always point into what the
caller sent (HTML included).
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from html import unescape
from html.parser import HTMLParser
from itertools import chain, repeat

_BLOCK_TAGS = frozenset(
    ["p", "br", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th", "table", "section",
     "article", "header", "footer", "blockquote", "pre", "hr", "dd", "dt", "dl"]
)
_SKIP_TAGS = frozenset({"script", "style", "template", "noscript"})
_HTML_HINT = re.compile(r"</?(?:p|br|li|ul|ol|div|strong|b|em|i|u|h[1-6]|span|table|tr|td|a)\b[^<>]{0,200}>"
                        r"|&(?:#\d{1,7}|#x[0-9a-f]{1,6}|[a-z]{2,8});", re.I)

# Length-preserving character fixes: ё for matching, exotic spaces, control characters.
_TRANSLATE = {ord("ё"): "е", ord("Ё"): "Е", ord("\t"): " ", ord("\r"): "\n", ord("\xa0"): " ",
              ord("\u2009"): " ", ord("\u202f"): " ", ord("\u2007"): " ", ord("\u2028"): "\n",
              ord("\u2029"): "\n", ord("\u2212"): "-"}
_TRANSLATE.update({c: " " for c in chain(range(0, 9), range(11, 32), range(127, 160)) if c not in (10, 13)})
# str.translate with a dict looks up every character; a text has a handful to fix, if any, so find those.
_TO_TRANSLATE = re.compile("[" + "".join(f"\\U{c:08x}" for c in _TRANSLATE) + "]")
_ZW = "[\u200b-\u200f\u2060-\u2064\ufeff\u00ad\u034f\u180e]"
_ZERO_WIDTH = re.compile(_ZW + _ZW + "*")  # a class first, not a repeat: the engine skips ahead to the next one
# NFKC leaves ASCII and the basic Cyrillic block as they are, one character at a time (tests/test_normalize.py)
_MAY_CHANGE = re.compile("[^\x00-\x7f\u0400-\u045f]")

# Latin letters that look like Cyrillic ones; fixed only inside words that mix both scripts.
_HOMOGLYPHS = str.maketrans("aceopxyABCEHKMOPTXk", "асеорхуАВСЕНКМОРТХк")
_HOMOGLYPH_LATIN = frozenset("aceopxyABCEHKMOPTXk")
# A Latin letter next to a Cyrillic one; starting with the Latin class lets the scan skip ahead to Latin letters.
_SCRIPT_BOUNDARY = re.compile(r"[A-Za-z](?:(?<=[А-Яа-я][A-Za-z])|(?=[А-Яа-я]))")
_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                     "АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдежзийклмнопрстуфхцчшщъыьэюя")
_LATIN = re.compile(r"[A-Za-z]")
# Feeds lose the line breaks between list items ("Полный рабочий деньРазъездного характера",
# "поддержкиЗнание 1С"): a lower-case Cyrillic run of three or more letters straight before a capitalised
# word marks a lost break, which comes back as a newline (clauses and section headers end there again).
# The capital comes first in the pattern: the scan then only stops at capitals (9 µs a median ad, not 23).
_GLUED = re.compile(r"[А-Я](?<=[а-я]{3}[А-Я])(?=[а-я])")


@dataclass(frozen=True, slots=True)
class Normalized:
    """Matching text plus, per character, the caller's [start, end) it came from."""

    text: str
    starts: Sequence[int]  # a range when the text maps char-to-char
    ends: Sequence[int]
    is_html: bool = False

    def span(self, start: int, end: int) -> tuple[int, int]:
        if start >= end:
            return (self.starts[start], self.starts[start]) if start < len(self.starts) else (0, 0)
        return self.starts[start], self.ends[end - 1]


# A piece is (text, orig_start, orig_end, verbatim): verbatim pieces map char-to-char,
# the others map as a whole onto their source span (an entity, a tag turned into a newline).
Piece = tuple[str, int, int, bool]


class _HtmlToPieces(HTMLParser):
    def __init__(self, src: str) -> None:
        super().__init__(convert_charrefs=False)
        self.src = src
        self.line_offsets = [0]
        for m in re.finditer("\n", src):
            self.line_offsets.append(m.end())
        self.pieces: list[Piece] = []
        self.skip = 0

    def _pos(self) -> int:
        line, col = self.getpos()
        return self.line_offsets[line - 1] + col

    def _tag(self, tag: str, closing: bool) -> None:
        if tag in _SKIP_TAGS:
            self.skip = max(0, self.skip + (-1 if closing else 1))
        elif tag in _BLOCK_TAGS:
            pos = self._pos()
            self.pieces.append(("\n", pos, pos, False))

    def handle_starttag(self, tag, attrs):
        self._tag(tag, False)

    def handle_startendtag(self, tag, attrs):
        if tag in _BLOCK_TAGS:
            self._tag(tag, False)

    def handle_endtag(self, tag):
        self._tag(tag, True)

    def handle_data(self, data):
        if not self.skip and data:
            pos = self._pos()
            self.pieces.append((data, pos, pos + len(data), True))

    def _ref(self, raw_start: int, decoded_guess: str) -> None:
        if self.skip:
            return
        semi = self.src.find(";", raw_start, raw_start + 40)
        end = semi + 1 if semi != -1 else raw_start + 1 + len(decoded_guess)
        text = unescape(self.src[raw_start:end])
        self.pieces.append((text, raw_start, end, False))

    def handle_entityref(self, name):
        self._ref(self._pos(), name)

    def handle_charref(self, name):
        self._ref(self._pos(), name)


def looks_like_html(text: str) -> bool:
    return _HTML_HINT.search(text) is not None


def _html_pieces(src: str) -> list[Piece]:
    parser = _HtmlToPieces(src)
    parser.feed(src)
    parser.close()
    return parser.pieces


def _translate(text: str) -> str:
    return _TO_TRANSLATE.sub(lambda m: _TRANSLATE[ord(m.group())], text)


def _clean_pieces(pieces: list[Piece]) -> list[Piece]:
    """Remove zero-width characters and apply NFKC, splitting verbatim pieces where needed."""
    out: list[Piece] = []
    for text, start, end, verbatim in pieces:
        if not verbatim:
            text = _translate(unicodedata.normalize("NFKC", _ZERO_WIDTH.sub("", text)))
            out.append((text, start, end, False))
            continue
        text = _translate(text)
        pos = 0
        for m in _ZERO_WIDTH.finditer(text):
            if m.start() > pos:
                out.append((text[pos:m.start()], start + pos, start + m.start(), True))
            pos = m.end()
        tail = text[pos:]
        if not tail:
            continue
        tail_start = start + pos
        if unicodedata.is_normalized("NFKC", tail):
            out.append((tail, tail_start, tail_start + len(tail), True))
            continue
        run = 0
        for m in _MAY_CHANGE.finditer(tail):
            i, ch = m.start(), m.group()
            norm = unicodedata.normalize("NFKC", ch)
            if norm != ch:
                if i > run:
                    out.append((tail[run:i], tail_start + run, tail_start + i, True))
                out.append((_translate(norm), tail_start + i, tail_start + i + 1, False))
                run = i + 1
        if run < len(tail):
            out.append((tail[run:], tail_start + run, tail_start + len(tail), True))
    return out


def _unglue(pieces: list[Piece]) -> list[Piece]:
    """Split verbatim pieces at lost line breaks (see _GLUED), with a newline that maps to no source character."""
    out: list[Piece] = []
    for piece in pieces:
        text, start, end, verbatim = piece
        if not verbatim or _GLUED.search(text) is None:
            out.append(piece)
            continue
        pos = 0
        for m in _GLUED.finditer(text):
            cut = m.start()
            out.append((text[pos:cut], start + pos, start + cut, True))
            out.append(("\n", start + cut, start + cut, False))
            pos = cut
        out.append((text[pos:], start + pos, end, True))
    return out


def _fix_homoglyphs(text: str) -> str:
    """Only words where the script changes inside the word are looked at; each word once."""
    if not _LATIN.search(text):
        return text
    out: list[str] = []
    done = 0
    for m in _SCRIPT_BOUNDARY.finditer(text):
        if m.start() < done:
            continue
        start = m.start()
        while start > done and text[start - 1] in _LETTERS:
            start -= 1
        end = m.end()
        while end < len(text) and text[end] in _LETTERS:
            end += 1
        word = text[start:end]
        latin = {c for c in word if "A" <= c <= "z"}
        out.append(text[done:start])
        out.append(word.translate(_HOMOGLYPHS) if latin <= _HOMOGLYPH_LATIN else word)
        done = end
    if not out:
        return text
    out.append(text[done:])
    return "".join(out)


def normalize(src: str, fmt: str = "auto") -> Normalized:
    """Normalise `src` (plain text or HTML) for matching; see module docstring."""
    is_html = fmt == "html" or (fmt == "auto" and ("<" in src or "&" in src) and looks_like_html(src))
    pieces = _html_pieces(src) if is_html else [(src, 0, len(src), True)]
    pieces = _unglue(_clean_pieces(pieces))
    text = _fix_homoglyphs("".join(p[0] for p in pieces))
    if len(pieces) == 1 and pieces[0][3]:  # plain text that needed no change of length: no lists to build
        t, s, _, _ = pieces[0]
        return Normalized(text, range(s, s + len(t)), range(s + 1, s + 1 + len(t)), is_html)
    starts = list(chain.from_iterable(
        range(s, s + len(t)) if v else repeat(s, len(t)) for t, s, e, v in pieces))
    ends = list(chain.from_iterable(
        range(s + 1, s + 1 + len(t)) if v else repeat(e, len(t)) for t, s, e, v in pieces))
    return Normalized(text, starts, ends, is_html)
