"""Vietnamese text helpers shared by every app: normalisation and folding."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# Đ/đ are letters of their own, not D with a combining mark: NFD leaves them alone.
_DD = str.maketrans({"Đ": "D", "đ": "d"})


def nfc(value: str) -> str:
    """NFC-normalise and collapse runs of whitespace, trimming both ends."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", value)).strip()


def fold(value: str) -> str:
    """A diacritics-free, lower-case key: "Đông Hà" -> "dong ha"."""
    decomposed = unicodedata.normalize("NFD", nfc(value).translate(_DD))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.lower()


def fold_compact(value: str) -> str:
    """fold() without spaces or punctuation: "Mã ĐVHC" -> "madvhc"."""
    return re.sub(r"[^0-9a-z]", "", fold(value))


def search_key(*parts: str) -> str:
    """A stored search column: folded words, each preceded by a space.

    Searching for " " + word then matches the start of a word, so "huong" finds
    "Hương" but not "Phường" (see search_filter).
    """
    return " " + " ".join(fold(p) for p in parts if p)


def search_words(term: str) -> list[str]:
    """The words of a search term, each as it must appear in a search_key."""
    return [" " + w for w in fold(term or "").split()]


# What XML 1.0 (so .xlsx and .docx) cannot hold: C0 control characters other than tab, line feed and carriage
# return, and the non-characters U+FFFE/U+FFFF. Lone surrogates cannot even be encoded as UTF-8.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SURROGATES = re.compile("[\ud800-\udfff]")


def encodable(value: str) -> str:
    """Text that encodes as UTF-8: a lone surrogate (no database stores one, but text built in code may hold
    one) becomes U+FFFD, the replacement character."""
    return _SURROGATES.sub("\ufffd", value) if _SURROGATES.search(value) else value


def xml_text(value: str) -> str:
    """Text an XML file (.xlsx, .docx) can hold: characters XML forbids dropped, lone surrogates replaced.

    Imports refuse such characters (naming row and column), but text stored before, typed in a form or
    built in code must never make a download fail.
    """
    if _NOT_XML.search(value):
        value = _NOT_XML.sub("", value)
    return encodable(value)
