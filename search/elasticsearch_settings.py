"""Elasticsearch index settings and per-field analysers, as data.

`search.backends.RabitaElasticsearch9SearchBackend` deep-merges INDEX_SETTINGS into
modelsearch's defaults (dicts merge, lists and scalars are replaced) and applies
FIELD_ANALYZERS to the mapping of every search field of that name. Everything
mirrors `home.text.normalize`, so Elasticsearch folds text like the database backends:

- Arabic: diacritics, tatweel, alef/ya/ta marbuta and hamza variants, the article
  (ال, وال, بال, لل…), Arabic-Indic digits;
- French: elision (also after the typographic apostrophe), case, accents.

The per-language name fields add stop words and stemming (`arabic_folded`,
`french_folded`); the catch-all `_all_text` fields use the index `default`
analyser, which folds both scripts without stemming (the skeletons and folded
words of `search_text` must stay whole). Autocomplete folds on both sides: the
stock mapping queries edge n-grams with the `standard` analyser, ours with
`edgengram_search_analyzer`.

This module is plain data (no Django import), so settings may import it.
"""

# The French articles and pronouns that elide before a vowel (l'heure, d'Agadir…).
FRENCH_ELISIONS = [
    "l", "m", "t", "qu", "n", "s", "j", "d", "c",
    "jusqu", "quoiqu", "lorsqu", "puisqu",
]  # fmt: skip

CHAR_FILTERS = {
    # ’ ‘ ʼ (typographic apostrophes) → ' so that the elision filter sees them.
    "typographic_apostrophe": {
        "type": "mapping",
        "mappings": ["’ => '", "‘ => '", "ʼ => '", "` => '", "´ => '"],
    },
    # ـ (tatweel, kashida): "جمعيـــة" → "جمعية".
    "tatweel": {"type": "pattern_replace", "pattern": "\u0640", "replacement": ""},
    # Letters arabic_normalization leaves alone (home.text.ARABIC_FOLDS): hamza on
    # waw/ya, alef wasla and the letters Moroccans write for Latin sounds.
    "arabic_letter_variants": {
        "type": "mapping",
        "mappings": ["ؤ => و", "ئ => ي", "ٱ => ا", "ڤ => ف", "ڭ => ك", "گ => ك", "پ => ب"],
    },
}
FOLDING_CHAR_FILTERS = ["typographic_apostrophe", "tatweel", "arabic_letter_variants"]

TOKEN_FILTERS = {
    "arabic_stop": {"type": "stop", "stopwords": "_arabic_"},
    "arabic_stemmer": {"type": "stemmer", "language": "arabic"},
    # The article and the prefixes glued to it (home.text.ARTICLE); two letters must remain.
    "arabic_article": {
        "type": "pattern_replace",
        "pattern": "^(?:[وفبك]?ال|لل)(?=\\p{L}{2,})",
        "replacement": "",
    },
    # Autocomplete indexes each Arabic word with and without its article: "الف" (typed
    # while writing "الفرح") and "فر" (the query side drops the article of "الفر") match.
    "arabic_article_kept_and_removed": {
        "type": "multiplexer",
        "filters": ["arabic_article"],
        "preserve_original": True,
    },
    "french_elision": {"type": "elision", "articles_case": True, "articles": FRENCH_ELISIONS},
    "french_stop": {"type": "stop", "stopwords": "_french_"},
    "light_french_stemmer": {"type": "stemmer", "language": "light_french"},
    "edgengram": {"type": "edge_ngram", "min_gram": 1, "max_gram": 15},
}

# Both scripts folded, no stop words, no stemming (home.text.normalize).
FOLDING_FILTERS = [
    "french_elision",
    "lowercase",
    "asciifolding",
    "decimal_digit",
    "arabic_normalization",
    "arabic_article",
]

ANALYZERS = {
    # Arabic names. Stop words before normalisation (the _arabic_ list is written with
    # hamzas, as in Elasticsearch's own `arabic` analyser); the light stemmer then
    # removes the article, the conjunctions and the plural/feminine suffixes.
    "arabic_folded": {
        "type": "custom",
        "char_filter": ["tatweel", "arabic_letter_variants"],
        "tokenizer": "standard",
        "filter": [
            "lowercase",
            "decimal_digit",
            "arabic_stop",
            "arabic_normalization",
            "arabic_stemmer",
        ],
    },
    # French names: elision (also after ’), case, stop words, accents, light stemming.
    "french_folded": {
        "type": "custom",
        "char_filter": ["typographic_apostrophe"],
        "tokenizer": "standard",
        "filter": [
            "french_elision",
            "lowercase",
            "french_stop",
            "asciifolding",
            "light_french_stemmer",
        ],
    },
    # Every text field without its own analyser (the _all_text catch-alls, titles,
    # descriptions, search_text), on the index and on the query side.
    "default": {
        "type": "custom",
        "char_filter": FOLDING_CHAR_FILTERS,
        "tokenizer": "standard",
        "filter": FOLDING_FILTERS,
    },
    # Autocomplete: edge n-grams of the folded words when indexing…
    "edgengram_analyzer": {
        "type": "custom",
        "char_filter": FOLDING_CHAR_FILTERS,
        "tokenizer": "standard",
        "filter": [
            *FOLDING_FILTERS[:-1],  # all but arabic_article…
            "arabic_article_kept_and_removed",  # …which keeps both forms here
            "edgengram",
        ],
    },
    # …and the same folding, without n-grams, for what people type.
    "edgengram_search_analyzer": {
        "type": "custom",
        "char_filter": FOLDING_CHAR_FILTERS,
        "tokenizer": "standard",
        "filter": FOLDING_FILTERS,
    },
}

INDEX_SETTINGS = {
    "settings": {
        "analysis": {
            "char_filter": CHAR_FILTERS,
            "filter": TOKEN_FILTERS,
            "analyzer": ANALYZERS,
        },
    },
}

# Mapping keys added to every SearchField of these names (any indexed model), on top
# of what modelsearch generates. The model's `search_fields` stay backend-neutral.
FIELD_ANALYZERS = {
    "name_ar": {"analyzer": "arabic_folded", "search_analyzer": "arabic_folded"},
    "name_fr": {"analyzer": "french_folded", "search_analyzer": "french_folded"},
}

# Both sides of the autocomplete fields (`*_edgengrams` and `_edgengrams`).
AUTOCOMPLETE_ANALYZERS = {
    "analyzer": "edgengram_analyzer",
    "search_analyzer": "edgengram_search_analyzer",
}

# Terms aggregations return this many buckets (the stock facet sends no size: 10).
# Morocco has 12 regions and 75 provinces; the directory has fewer fields of activity.
FACET_SIZE = 100
