"""The phrase check of the compact search index (store/phrases.py) on real article texts."""

from __future__ import annotations

import random

from scraper.store.phrases import has_phrases, words
from support.realsite import truth


def test_the_quick_check_of_ascii_text_agrees_with_the_words_side_by_side() -> None:
    """An ASCII column is checked by a regular expression (phrases.has_phrases): on real
    article texts, with the words' separators changed, it finds what cutting the text
    into words finds, phrases taken from the text and phrases of words drawn at random."""
    rng = random.Random(5)
    texts = [entry["articleBody"] for entry in list(truth("wcxb-dev").values())[:60]
             if len(words(entry.get("articleBody", ""))) > 10]
    checked = found = 0
    for text in texts:
        tokens = words(text)
        for _ in range(8):
            start, size = rng.randrange(len(tokens) - 3), rng.choice((2, 3))
            phrase = tuple(tokens[start:start + size] if rng.random() < 0.5
                           else rng.choices(tokens, k=size))
            check = has_phrases((phrase,))
            for column in (text, text.replace(" ", "_"), text.replace(" ", " -- "),
                           text.upper()):
                cut = words(column)
                expected = any(list(phrase) == cut[i:i + size] for i in range(len(cut)))
                assert bool(check(column, None, "")) == expected, (phrase, column[:80])
                checked, found = checked + 1, found + expected
    assert checked > 1500 and found > 400, (checked, found)
