"""Edit labels and counts of scraper.diff.labels, on a realistic local news story."""

from __future__ import annotations

import pytest

from scraper.diff import LABELS, DiffSummary, Text, summarize

HEADLINE = "City council approves £40m flood barrier after week of storms"
BYLINE = "By Maria Okafor, Environment Correspondent"
PARAGRAPHS = [
    "The city council voted on Tuesday to build a £40m flood barrier along the River Wend, "
    "after a week of storms left 12 people injured and hundreds of homes without power.",
    "Councillors approved the plan by 31 votes to 9 at a meeting that ran late into the "
    "evening, with residents from the worst-hit streets watching from the public gallery.",
    "“We cannot ask families to bail out their kitchens every winter,” said council leader "
    "Priya Raman. “This barrier is the least we owe them.”",
    "Construction is expected to begin in March 2026 and take about two years. The "
    "Environment Agency will pay for a third of the cost, with the rest coming from the "
    "council's capital budget.",
    "Opposition councillors said the vote had been rushed. Tom Ellery, who leads the Green "
    'group, said the council had not published "a proper study of what this does to the '
    'river downstream" and called for a delay.',
    "The storms brought more than 90mm of rain in 48 hours, the highest total recorded at "
    "the Wendford gauge since records began in 1911.",
    "Residents who want to comment on the design can do so at drop-in sessions at the "
    "central library until Sept. 5.",
]
MODIFIED = "2025-09-05T10:00:00Z"
OLD = Text(HEADLINE, BYLINE, "\n\n".join(PARAGRAPHS), MODIFIED)


def edited(old: str, new: str, *, modified: str = MODIFIED, base: Text = OLD) -> Text:
    """OLD with one exact piece of its body replaced; fails if the piece is not there."""
    assert base.body.count(old) == 1, old
    return Text(base.headline, base.byline, base.body.replace(old, new), modified)


def with_paragraphs(paragraphs: list[str], modified: str = MODIFIED) -> Text:
    return Text(HEADLINE, BYLINE, "\n\n".join(paragraphs), modified)


def labels(new: Text, old: Text = OLD) -> tuple[str, ...]:
    return summarize(old, new).labels


def test_labels_constant_lists_all_eleven_names() -> None:
    assert len(LABELS) == 11
    assert LABELS == tuple(sorted(set(LABELS)))
    assert {"flip-flop", "typo", "stealth", "correction", "rewrite"} <= set(LABELS)


def test_identical_versions_have_no_labels_and_zero_counts() -> None:
    summary = summarize(OLD, Text(HEADLINE, BYLINE, OLD.body, MODIFIED))
    assert summary == DiffSummary(0, 0, 0, 0, 0, 0, False, False, ())


def test_only_the_modified_time_changing_is_no_change() -> None:
    assert labels(Text(HEADLINE, BYLINE, OLD.body, "2025-09-06T08:00:00Z")) == ()


def test_one_character_typo_with_same_modified_time_is_a_stealth_typo() -> None:
    new = edited("council's capital budget", "council’s capital budget")
    summary = summarize(OLD, new)
    assert summary.labels == ("stealth", "typo")
    assert (summary.words_added, summary.words_removed, summary.paragraphs_changed) == (1, 1, 1)


def test_spelling_fix_with_new_modified_time_is_only_a_typo() -> None:
    new = edited("worst-hit streets", "worst-hit streeets", base=OLD)
    fixed = edited("worst-hit streeets", "worst-hit streets", modified="later", base=new)
    assert labels(fixed, new) == ("typo",)


def test_punctuation_fix_is_a_typo() -> None:
    assert labels(edited("Sept. 5.", "Sept. 5!", modified="later")) == ("typo",)


def test_three_changed_words_are_not_a_typo() -> None:
    new = edited("ran late into the evening", "ran lade inta tha evening", modified="later")
    assert "typo" not in labels(new)


def test_a_changed_word_that_is_not_a_spelling_fix_is_not_a_typo() -> None:
    new = edited("voted on Tuesday", "voted unanimously", modified="later")
    assert "typo" not in labels(new)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("left 12 people injured", "left 15 people injured"),
        ("by 31 votes to 9", "by 30 votes to 10"),
        ("until Sept. 5.", "until Sept. 6."),
        ("begin in March 2026", "begin in April 2026"),
        ("take about two years", "take about three years"),
        ("£40m flood barrier along", "£45m flood barrier along"),
    ],
)
def test_a_changed_figure_or_date_is_numbers_and_not_a_typo(old: str, new: str) -> None:
    found = labels(edited(old, new, modified="later"))
    assert "numbers" in found
    assert "typo" not in found


def test_reordering_sentences_keeps_the_same_numbers() -> None:
    new = edited(
        "Construction is expected to begin in March 2026 and take about two years. The "
        "Environment Agency will pay for a third of the cost, with the rest coming from the "
        "council's capital budget.",
        "The Environment Agency will pay for a third of the cost, with the rest coming from "
        "the council's capital budget. Construction is expected to begin in March 2026 and "
        "take about two years.",
    )
    assert "numbers" not in labels(new)


def test_softened_curly_quote_is_quote() -> None:
    new = edited("the least we owe them.”", "a good start.”")
    assert "quote" in labels(new)


def test_changed_straight_quote_is_quote() -> None:
    new = edited('"a proper study of what', '"a study of what')
    assert "quote" in labels(new)


def test_edit_outside_the_quotation_marks_is_not_quote() -> None:
    new = edited("said council leader Priya Raman", "said the council's leader, Priya Raman")
    assert "quote" not in labels(new)


def test_apostrophes_do_not_open_a_quote() -> None:
    new = edited("the council's capital budget", "the council's reserves")
    assert "quote" not in labels(new)


def test_added_paragraph() -> None:
    extra = "A spokesperson for the Environment Agency said it welcomed the decision."
    new = with_paragraphs([*PARAGRAPHS[:3], extra, *PARAGRAPHS[3:]], modified="later")
    summary = summarize(OLD, new)
    assert summary.labels == ("paragraph-added",)
    assert (summary.paragraphs_added, summary.paragraphs_removed) == (1, 0)
    assert summary.words_added == 11


def test_removed_paragraph() -> None:
    new = with_paragraphs([*PARAGRAPHS[:4], *PARAGRAPHS[5:]], modified="later")
    summary = summarize(OLD, new)
    assert summary.labels == ("paragraph-removed",)
    assert (summary.paragraphs_added, summary.paragraphs_removed) == (0, 1)


def test_moved_paragraph_is_counted_but_adds_and_removes_nothing() -> None:
    moved = [PARAGRAPHS[0], PARAGRAPHS[5], *PARAGRAPHS[1:5], PARAGRAPHS[6]]
    summary = summarize(OLD, with_paragraphs(moved, modified="later"))
    assert summary.paragraphs_moved == 1
    assert summary.words_added == summary.words_removed == 0
    assert summary.labels == ()


def test_moved_paragraph_with_same_modified_time_is_stealth() -> None:
    moved = [PARAGRAPHS[0], PARAGRAPHS[5], *PARAGRAPHS[1:5], PARAGRAPHS[6]]
    assert labels(with_paragraphs(moved)) == ("stealth",)


@pytest.mark.parametrize(
    "note",
    [
        "Correction: An earlier version of this article said the vote was 30 to 10.",
        "An earlier version of this story misstated the cost of the barrier.",
        "This article has been updated with comment from the Green group.",
        "Editor's note: Tom Ellery is a former employee of the Environment Agency.",
        "UPDATE: The council published its wildlife assessment on Sept. 8.",
        "Rectificatif : une version précédente de cet article indiquait 30 voix.",
    ],
)
def test_appended_correction_note_is_correction_and_not_stealth(note: str) -> None:
    new = with_paragraphs([*PARAGRAPHS, note])
    found = labels(new)
    assert "correction" in found
    assert "paragraph-added" in found
    assert "stealth" not in found


def test_a_correction_note_already_there_is_not_a_new_correction() -> None:
    old = with_paragraphs([*PARAGRAPHS, "Correction: the vote was 31 to 9."])
    new = Text(old.headline, old.byline, old.body.replace("12 people", "15 people"), MODIFIED)
    found = labels(new, old)
    assert "correction" not in found
    assert "stealth" in found


def test_reworded_headline() -> None:
    new = Text("Council backs £40m River Wend barrier", BYLINE, OLD.body, "later")
    summary = summarize(OLD, new)
    assert summary.headline_changed and not summary.byline_changed
    assert summary.labels == ("headline",)


def test_headline_typo_is_headline_typo_and_stealth() -> None:
    new = Text(HEADLINE.replace("storms", "stroms"), BYLINE, OLD.body, MODIFIED)
    assert labels(new) == ("headline", "stealth", "typo")


def test_changed_byline_is_byline_but_not_stealth() -> None:
    new = Text(HEADLINE, "By Maria Okafor and Dev Patel", OLD.body, MODIFIED)
    summary = summarize(OLD, new)
    assert summary.byline_changed
    assert summary.labels == ("byline",)


def test_complete_rewrite() -> None:
    new = with_paragraphs(
        [
            "Work on a flood barrier for the River Wend will start next spring, the council "
            "confirmed, ending months of argument over how to protect the town centre.",
            "The scheme, now costed at £52m, includes a new pumping station and raised "
            "walkways along the eastern bank.",
            "Critics say the design still ignores the farms upstream, where the water first "
            "breaks its banks.",
        ],
        modified="later",
    )
    summary = summarize(OLD, new)
    assert "rewrite" in summary.labels
    assert "typo" not in summary.labels


def test_a_few_scattered_edits_are_not_a_rewrite() -> None:
    new = edited("12 people", "15 people")
    new = edited("public gallery", "packed public gallery", base=new)
    assert "rewrite" not in labels(new)


def test_to_dict_is_plain_data() -> None:
    summary = summarize(OLD, edited("12 people", "15 people"))
    data = summary.to_dict()
    assert data["labels"] == ["numbers", "stealth"]
    assert data["words_added"] == 1
    assert set(data) == {
        "words_added",
        "words_removed",
        "paragraphs_added",
        "paragraphs_removed",
        "paragraphs_changed",
        "paragraphs_moved",
        "headline_changed",
        "byline_changed",
        "labels",
    }


def test_the_same_misspelling_fixed_all_through_is_one_typo() -> None:
    """wcxb-dev/4761: "recevie" fixed in five places is a typo, not a rewrite of words."""
    misspelt = [p.replace("the ", "teh ") for p in PARAGRAPHS]
    assert sum(p.count("teh ") for p in misspelt) > 2
    found = labels(with_paragraphs(PARAGRAPHS, "later"), with_paragraphs(misspelt))
    assert found == ("quote", "typo")  # one of the fixes is inside a quotation


def test_a_misspelt_number_word_fixed_is_a_typo_not_numbers() -> None:
    """wcxb-dev/0224: "thosuand" -> "thousand" adds a number word, not a number."""
    misspelt = edited("hundreds of homes", "thosuands of homes")
    fixed = edited("hundreds of homes", "thousands of homes", modified="later")
    assert labels(fixed, misspelt) == ("typo",)
    assert "numbers" in labels(edited("about two years", "about ten years", modified="later"))


def test_list_items_in_another_order_beside_a_typo_leave_it_a_typo() -> None:
    """wcxb-dev/0415, 4444: a line of numbers rotated and short lines moved (noise that
    the version keeps beside the edit) do not hide the typo fix."""
    lines = ["1 2 3 4 5 6 7 8 9", "Follow us on Bluesky", "Our podcast, weekly"]
    old = with_paragraphs([*PARAGRAPHS, *lines])
    typo = [p.replace("worst-hit", "worst-hti") for p in PARAGRAPHS]
    before = with_paragraphs([*typo, *lines])
    after = with_paragraphs([*PARAGRAPHS, "4 5 6 7 8 9 1 2 3", lines[2], lines[1]], "later")
    assert old.body != before.body
    assert labels(after, before) == ("typo",)
