"""Text helpers shared by every app."""

import re
import unicodedata

NON_WORD = re.compile(r"[\W_]+")


def clean_query(text, max_length=200):
    """A search query reduced to plain words, safe for every search backend.

    Drops control and formatting characters and combining marks (Arabic
    diacritics), turns punctuation and query syntax (quotes, parentheses, `*`,
    `:`, `^`, `-`) into spaces and lower-cases the rest, so operators such as
    AND/OR/NOT become ordinary words.
    """
    text = unicodedata.normalize("NFKC", text or "")
    text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cf", "Mn"))
    words = NON_WORD.sub(" ", text).casefold().split()
    return " ".join(words)[:max_length].strip()
