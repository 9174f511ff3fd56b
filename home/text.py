"""Text normalisation shared by every app and every search backend.

People type Arabic with or without diacritics and the article, French with or
without accents, and Moroccan Arabic in Latin letters ("jam3iat", "sa3at lfarah").
The same functions run on the indexed text and on the queries, so SQLite FTS5,
PostgreSQL and Elasticsearch all see the same words:

- `clean_query`: a query reduced to plain words, safe for any backend;
- `normalize`: folded words — Arabic without diacritics, tatweel, alef/ya/ta
  marbuta variants or the article; French without case, accents or elision;
- `skeleton`: a cross-script key: Arabic script and Latin-script Moroccan
  Arabic mapped to the same consonant skeleton ("ساعة الفرح" and "sa3at lfarah"
  both give "s frh"), so either spelling finds the other.

This module lives in `home` (the shared base) because the directory's models index
these keys and must not import the `search` app (architecture.md).
"""

import re
import unicodedata

NON_WORD = re.compile(r"[\W_]+")

# --- Arabic ---------------------------------------------------------------
ARABIC_LETTERS = re.compile(r"[\u0621-\u064A]")
ARABIC_DIACRITICS = re.compile(r"[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED]")
TATWEEL = "\u0640"
ARABIC_FOLDS = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ة": "ه",
        "ؤ": "و",
        "ئ": "ي",
        # Persian/Moroccan letters written for Latin sounds.
        "ڤ": "ف",
        "ڭ": "ك",
        "گ": "ك",
        "پ": "ب",
    }
)
# Arabic-Indic and Eastern Arabic-Indic digits → 0-9, whatever the script around them.
DIGITS = str.maketrans(
    {**{chr(0x0660 + d): str(d) for d in range(10)}, **{chr(0x06F0 + d): str(d) for d in range(10)}}
)
# Prefixes glued to the article: و (and), ب (with), ك (like), ف (so), ل (for).
ARTICLE = re.compile(r"^(?:[وفبك]?ال|لل)(?=\w{2,})")

# --- French ---------------------------------------------------------------
ELISION = re.compile(r"\b(?:l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu)['’‘`´]", re.IGNORECASE)


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


def fold_arabic_word(word):
    """One Arabic word without diacritics, tatweel, letter variants or article."""
    word = ARABIC_DIACRITICS.sub("", word).replace(TATWEEL, "")
    word = word.translate(ARABIC_FOLDS)
    return ARTICLE.sub("", word)


def fold_latin_word(word):
    """One Latin word without case or accents (é → e, œ → oe)."""
    word = unicodedata.normalize("NFKD", word.casefold())
    word = "".join(ch for ch in word if not unicodedata.combining(ch))
    return word.replace("œ", "oe").replace("æ", "ae").replace("ß", "ss")


def normalize(text, max_length=None):
    """Folded words of `text` (either script), for indexing and for queries."""
    text = unicodedata.normalize("NFKC", text or "").translate(DIGITS)
    text = ELISION.sub(" ", text)
    text = ARABIC_DIACRITICS.sub("", text).replace(TATWEEL, "")
    words = []
    for word in NON_WORD.sub(" ", text).split():
        folded = fold_arabic_word(word) if ARABIC_LETTERS.search(word) else fold_latin_word(word)
        if folded:
            words.append(folded)
    result = " ".join(words)
    return result[:max_length].strip() if max_length else result


# --- Cross-script skeleton ------------------------------------------------
# Consonant classes shared by both scripts. Sounds Moroccan writers spell in
# several ways share a class (ح/ه/7/h → h; ق/ك/9/q/k → k; ص/س → s; …); vowels,
# hamza, ع/3 and the final ta marbuta are dropped, as Latin spellings often omit them.
ARABIC_SKELETON = {
    "ب": "b", "ت": "t", "ث": "t", "ج": "j", "ح": "h", "خ": "x", "د": "d", "ذ": "d",
    "ر": "r", "ز": "z", "س": "s", "ش": "c", "ص": "s", "ض": "d", "ط": "t", "ظ": "d",
    "غ": "g", "ف": "f", "ق": "k", "ك": "k", "ل": "l", "م": "m", "ن": "n", "ه": "h",
    "و": "w", "ي": "y",
}  # fmt: skip
LATIN_DIGRAPHS = [
    ("tch", "c"), ("ch", "c"), ("sh", "c"), ("kh", "x"), ("gh", "g"), ("dj", "j"),
    ("ou", "w"), ("oo", "w"), ("ph", "f"), ("ck", "k"),
]  # fmt: skip
LATIN_SKELETON = {
    "b": "b", "t": "t", "j": "j", "g": "g", "h": "h", "7": "h", "5": "x", "x": "x",
    "d": "d", "r": "r", "z": "z", "s": "s", "c": "c", "f": "f", "v": "f", "q": "k",
    "k": "k", "9": "k", "8": "h", "l": "l", "m": "m", "n": "n", "w": "w", "y": "y",
    "p": "b",
}  # fmt: skip
# A glued article: "lfarah", "el-kheir", "lbida" (but not "alami": a vowel follows).
LATIN_ARTICLE = re.compile(r"^(?:al|el|l)-?(?=[bcdfghjklmnpqrstvwxz5789])")
STOP_WORDS = {
    "al", "el", "l", "la", "le", "les", "de", "des", "du", "d", "et", "pour", "the", "of",
    "and", "for", "ou", "w", "و", "في", "من", "ل", "لل",
}  # fmt: skip


def _arabic_skeleton(word):
    word = fold_arabic_word(word)
    if word.endswith("ه") and len(word) > 2:
        word = word[:-1]  # ta marbuta (folded to ه): "ساعة" ~ "sa3a"/"sa3at"
    # و and ي after the first letter are (long) vowels, which Latin spellings vary.
    out = []
    for index, letter in enumerate(word):
        sound = ARABIC_SKELETON.get(letter, "")
        if sound in ("w", "y") and index > 0:
            sound = ""
        out.append(sound)
    return "".join(out)


def _latin_skeleton(word):
    word = fold_latin_word(word)
    if len(word) > 3 and word.endswith(("at", "et")) and not word.endswith(("aat", "iat")):
        word = word[:-1]  # construct state: "sa3at" ~ "ساعة"
    word = LATIN_ARTICLE.sub("", word)
    for digraph, sound in LATIN_DIGRAPHS:
        word = word.replace(digraph, f"{sound}_")
    out = []
    for index, letter in enumerate(word.replace("_", "")):
        sound = LATIN_SKELETON.get(letter, "")
        if sound in ("w", "y") and index > 0:
            sound = ""
        out.append(sound)
    skeleton = "".join(out)
    if skeleton.endswith("t") and word.endswith(("at", "et")):
        skeleton = skeleton[:-1]
    return skeleton


def skeleton(text):
    """The cross-script key of `text`: one consonant skeleton per word, both scripts."""
    text = ELISION.sub(" ", unicodedata.normalize("NFKC", text or ""))
    keys = []
    for word in NON_WORD.sub(" ", ARABIC_DIACRITICS.sub("", text)).split():
        if word.casefold() in STOP_WORDS:
            continue
        if ARABIC_LETTERS.search(word):
            key = _arabic_skeleton(word)
        else:
            key = _latin_skeleton(word)
        # Collapse doubled consonants (shadda is dropped in Arabic, doubled in Latin).
        key = re.sub(r"(.)\1+", r"\1", key)
        if len(key) >= 2:
            keys.append(key)
    return " ".join(keys)


# The preposition li- ("for") glued to a word without the article: "لحماية الطفولة"
# (for the protection of childhood), "لدعم", "لتنمية". Names use it constantly.
LI_PREFIX = re.compile(r"^ل(?=[\u0621-\u064A]{3,})")


def search_keys(*texts):
    """Everything the index needs for these texts: folded words and skeletons, and
    for a word with li- glued to it, the word without it too (indexed only: a query
    for "حماية" then finds "لحماية"; a query for "لحماية" still finds it whole)."""
    parts = []
    for text in texts:
        if text:
            folded = normalize(text)
            bare = " ".join(
                LI_PREFIX.sub("", word) for word in folded.split() if LI_PREFIX.match(word)
            )
            parts += [folded, skeleton(text), bare, skeleton(bare)]
    return " ".join(part for part in parts if part)
