"""Paragraph alignment, word diff, JSON and rendering of scraper.diff."""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scraper.diff import (
    ParagraphOp,
    Text,
    VersionDiff,
    WordOp,
    diff_from_json,
    diff_to_json,
    diff_versions,
    diff_words,
    render_html,
    render_text,
    split_paragraphs,
    tokenize,
)

HEADLINE = "Ukraine opens first joint drone factory in Denmark, Zelensky says"
BYLINE = "By Olena Kovalenko"
PARAGRAPHS = [
    "Ukraine has opened its first joint drone production line abroad, in Denmark, and plans "
    "similar lines elsewhere in Europe, President Volodymyr Zelensky said on Sept. 5.",
    "The announcement comes two months after the two countries signed a defence agreement "
    "allowing Ukrainian arms makers to build factories on Danish soil.",
    "“The first line is already working. Others will follow with our European partners,” "
    "Zelensky told reporters in Uzhhorod.",
    "Danish officials said 12 companies had applied for permits and that the first drones "
    "would be delivered before the end of the year.",
    "The factory is expected to employ about 300 people once it reaches full capacity, "
    "according to the Danish defence ministry.",
    "Kyiv has asked its allies to invest directly in Ukrainian weapons production since the "
    "spring, arguing that it is cheaper and faster than buying abroad.",
    "Russia's foreign ministry called the plan a provocation.",
]
OLD = Text(HEADLINE, BYLINE, "\n\n".join(PARAGRAPHS))


def body(*paragraphs: str) -> Text:
    return Text(HEADLINE, BYLINE, "\n\n".join(paragraphs))


def replaced(old: str, new: str, base: Text = OLD) -> Text:
    assert base.body.count(old) == 1, old
    return Text(base.headline, base.byline, base.body.replace(old, new), base.modified)


def kinds(diff: VersionDiff) -> list[str]:
    return [p.op for p in diff.body]


def test_public_names_import_from_diff_whichever_module_loads_first() -> None:
    code = (
        "import scraper.diff.labels, scraper.diff.render\n"
        "from scraper.diff import LABELS, DiffSummary, summarize, render_text, diff_to_json\n"
        "print(len(LABELS))"
    )
    root = Path(__file__).parents[2]
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=root)
    assert (done.returncode, done.stdout, done.stderr) == (0, "11\n", "")


# --- structure --------------------------------------------------------------


def test_identical_texts_give_an_empty_diff() -> None:
    diff = diff_versions(OLD, Text(HEADLINE, BYLINE, OLD.body, "other time"))
    assert not diff.changed
    assert kinds(diff) == ["equal"] * len(PARAGRAPHS)
    assert diff.headline == (WordOp("equal", HEADLINE),)
    assert "No change" in render_text(diff)


def test_changed_number_is_one_word_change() -> None:
    diff = diff_versions(OLD, replaced("said 12 companies", "said 15 companies"))
    assert kinds(diff) == ["equal"] * 3 + ["change"] + ["equal"] * 3
    change = diff.body[3]
    assert (change.old_index, change.new_index) == (3, 3)
    assert [w for w in change.words if w.op != "equal"] == [
        WordOp("delete", "12 "),
        WordOp("insert", "15 "),
    ]


def test_changed_punctuation_shows_only_the_mark() -> None:
    diff = diff_versions(OLD, replaced("in Denmark, and plans", "in Denmark; and plans"))
    assert "Denmark[-,-]{+;+} and plans" in render_text(diff)


def test_number_with_separators_is_one_token() -> None:
    assert tokenize("about 1,200 people at 10:30, or 3.5%.") == [
        "about ",
        "1,200 ",
        "people ",
        "at ",
        "10:30",
        ", ",
        "or ",
        "3.5",
        "%",
        ".",
    ]


def test_words_added_after_the_last_word_keep_it_equal() -> None:
    assert diff_words("in Kyiv", "in Kyiv and Lviv") == (
        WordOp("equal", "in Kyiv"),
        WordOp("insert", " and Lviv"),
    )


def test_reworded_phrase_reads_as_one_change() -> None:
    ops = diff_words("the first drones would be delivered", "the first drones may arrive")
    assert ops == (
        WordOp("equal", "the first drones "),
        WordOp("delete", "would be delivered"),
        WordOp("insert", "may arrive"),
    )


def test_short_word_between_two_changes_joins_them() -> None:
    ops = diff_words("It said the plan was a provocation.", "It called the move a provocation.")
    assert ops == (
        WordOp("equal", "It "),
        WordOp("delete", "said the plan was "),
        WordOp("insert", "called the move "),
        WordOp("equal", "a provocation."),
    )


def test_added_and_removed_paragraphs_keep_their_places() -> None:
    extra = "Denmark's prime minister is due to visit Kyiv next week."
    new = body(*PARAGRAPHS[:2], extra, *PARAGRAPHS[2:5], PARAGRAPHS[6])
    diff = diff_versions(OLD, new)
    assert kinds(diff) == ["equal", "equal", "insert", "equal", "equal", "equal", "delete", "equal"]
    removed = diff.body[-2]
    assert (removed.old_index, removed.new_index, removed.old) == (5, None, PARAGRAPHS[5])
    assert diff.body[2].new == extra


def test_moved_paragraph_has_from_and_to() -> None:
    new = body(PARAGRAPHS[0], PARAGRAPHS[4], *PARAGRAPHS[1:4], *PARAGRAPHS[5:])
    diff = diff_versions(OLD, new)
    moves = [p for p in diff.body if p.op == "move"]
    assert [(p.old_index, p.new_index) for p in moves] == [(4, 1)]
    assert kinds(diff).count("equal") == len(PARAGRAPHS) - 1


def test_moved_and_lightly_edited_paragraph_is_a_move_with_word_ops() -> None:
    edited = PARAGRAPHS[4].replace("about 300", "about 350")
    new = body(PARAGRAPHS[0], edited, *PARAGRAPHS[1:4], *PARAGRAPHS[5:])
    move = next(p for p in diff_versions(OLD, new).body if p.op == "move")
    assert (move.old_index, move.new_index) == (4, 1)
    assert WordOp("insert", "350 ") in move.words


def test_unrelated_replacement_is_delete_and_insert() -> None:
    other = "Separately, Sweden announced a new aid package worth $500 million for Ukraine."
    diff = diff_versions(OLD, body(*PARAGRAPHS[:6], other))
    assert kinds(diff)[-2:] == ["delete", "insert"]


def test_empty_old_body_is_all_inserts() -> None:
    diff = diff_versions(Text(HEADLINE, BYLINE, ""), OLD)
    assert kinds(diff) == ["insert"] * len(PARAGRAPHS)
    assert diff.new_body() == OLD.body and diff.old_body() == ""


# --- reconstruction (Hypothesis) ----------------------------------------------

WORDS = ["Kyiv", "Kyiv,", "drone", "the", "12", "15", "“We", "said.”", "Zelensky's", "a"]
paragraph = st.lists(st.sampled_from(WORDS), min_size=0, max_size=8).map(" ".join)
paragraphs = st.lists(paragraph, max_size=12)


def edits(base: list[str]) -> st.SearchStrategy[list[str]]:
    """New versions of ``base``: paragraphs dropped, edited, added and shuffled."""
    kept = st.lists(st.booleans(), min_size=len(base), max_size=len(base))
    return st.builds(_apply, st.just(base), kept, paragraphs, st.randoms())


def _apply(base: list[str], kept: list[bool], extra: list[str], rnd: random.Random) -> list[str]:
    new = [p + " drone" if len(p) % 3 == 0 else p for p, k in zip(base, kept, strict=True) if k]
    new += extra
    head = new[: len(new) // 2]
    rnd.shuffle(head)
    new[: len(head)] = head
    return new


def check_sides(old: list[str], new: list[str]) -> None:
    old_text = body(*old) if old else Text(HEADLINE, BYLINE, "")
    new_text = body(*new) if new else Text(HEADLINE, BYLINE, "")
    diff = diff_versions(old_text, new_text)
    assert diff.old_body() == old_text.body
    assert diff.new_body() == new_text.body
    # A body of one empty paragraph is the empty body: no paragraph at all.
    old_count, new_count = (
        len(split_paragraphs(old_text.body)),
        len(split_paragraphs(new_text.body)),
    )
    assert [p.new_index for p in diff.body if p.new_index is not None] == list(range(new_count))
    old_indexes = sorted(p.old_index for p in diff.body if p.old_index is not None)
    assert old_indexes == list(range(old_count))
    assert diff_from_json(json.loads(json.dumps(diff_to_json(diff)))) == diff


@given(paragraphs, paragraphs)
def test_sides_rebuild_both_bodies_for_unrelated_lists(old: list[str], new: list[str]) -> None:
    check_sides(old, new)


@given(paragraphs.flatmap(lambda base: st.tuples(st.just(base), edits(base))))
def test_sides_rebuild_both_bodies_for_edited_lists(pair: tuple[list[str], list[str]]) -> None:
    check_sides(*pair)


@given(st.text(max_size=200))
def test_tokens_rebuild_the_text(text: str) -> None:
    assert "".join(tokenize(text)) == text


@given(st.text(max_size=80), st.text(max_size=80))
def test_word_ops_rebuild_both_texts(old: str, new: str) -> None:
    ops = diff_words(old, new)
    assert "".join(w.text for w in ops if w.op != "insert") == old
    assert "".join(w.text for w in ops if w.op != "delete") == new
    assert all(w.text for w in ops)


sentences = st.lists(st.sampled_from(["Kyiv said.", "12 drones!", "“We won.”", "a.b"]), max_size=9)


@given(sentences.map(" ".join), sentences.map(" ".join))
def test_long_texts_aligned_by_sentence_rebuild_both_texts(old: str, new: str) -> None:
    with mock.patch("scraper.diff.align.LONG_TEXT", 10):
        ops = diff_words(old, new)
    assert "".join(w.text for w in ops if w.op != "insert") == old
    assert "".join(w.text for w in ops if w.op != "delete") == new


def test_long_paragraph_keeps_unchanged_sentences_equal() -> None:
    sentences = [f"Officials said {n} homes were flooded in district {n}." for n in range(200)]
    new = list(sentences)
    new[100] = "Officials said 1,000 homes were flooded in district 100."
    ops = diff_words(" ".join(sentences), " ".join(new))
    assert [w for w in ops if w.op != "equal"] == [
        WordOp("delete", "100 "),
        WordOp("insert", "1,000 "),
    ]


def test_every_paragraph_op_exposes_its_two_sides() -> None:
    op = ParagraphOp(
        "change",
        0,
        0,
        (WordOp("equal", "about "), WordOp("delete", "300"), WordOp("insert", "350")),
    )
    assert (op.old, op.new) == ("about 300", "about 350")


# --- JSON -------------------------------------------------------------------


def test_json_round_trips() -> None:
    new = replaced("said 12 companies", "said 15 companies")
    data = diff_to_json(diff_versions(OLD, new))
    assert json.loads(json.dumps(data)) == data
    assert data["changed"] is True
    assert data["body"][3]["op"] == "change"
    assert {"op": "insert", "text": "15 "} in data["body"][3]["words"]
    assert diff_from_json(data) == diff_versions(OLD, new)


# --- text rendering ---------------------------------------------------------

NEW = Text(
    "Ukraine opens first joint drone plant in Denmark",
    BYLINE,
    "\n\n".join(
        [
            *PARAGRAPHS[:3],
            PARAGRAPHS[3].replace("said 12 companies", "said 15 companies"),
            *PARAGRAPHS[4:6],
            "Correction: an earlier version of this story misnamed the city of the briefing.",
        ]
    ),
)


def test_plain_text_uses_word_diff_markers() -> None:
    text = render_text(diff_versions(OLD, NEW))
    assert "said [-12-]{+15+} companies" in text
    assert "Headline: Ukraine opens first joint drone [-factory-]{+plant+} in Denmark" in text
    assert "{+Correction: an earlier version" in text
    assert "[-Russia's foreign ministry called the plan a provocation.-]" in text
    assert "\x1b[" not in text


def test_plain_text_elides_unchanged_paragraphs_far_from_changes() -> None:
    text = render_text(diff_versions(OLD, NEW))
    assert PARAGRAPHS[0] not in text  # two paragraphs before the first change
    assert "… 2 unchanged paragraphs" in text
    assert PARAGRAPHS[2] in text  # one paragraph of context
    assert "~ ¶4" in text and "+ ¶7" in text and "- ¶7 removed" in text


def test_moved_paragraph_is_marked() -> None:
    new = body(PARAGRAPHS[0], PARAGRAPHS[4], *PARAGRAPHS[1:4], *PARAGRAPHS[5:])
    assert "> ¶2 moved from ¶5" in render_text(diff_versions(OLD, new))


def test_color_text_uses_ansi_red_and_green_without_markers() -> None:
    text = render_text(diff_versions(OLD, NEW), color=True)
    assert "\x1b[31;9m12\x1b[0m\x1b[32;4m15\x1b[0m" in text
    assert "[-" not in text and "{+" not in text


@pytest.mark.parametrize("width", [20, 41, 80, 100, 160])
@pytest.mark.parametrize("color", [False, True])
def test_side_by_side_lines_fit_the_width(width: int, color: bool) -> None:
    wide = Text(HEADLINE, BYLINE, OLD.body + "\n\n" + "基辅" * 40 + " " + "x" * 300)
    text = render_text(diff_versions(wide, NEW), side_by_side=True, width=width, color=color)
    visible = re.sub(r"\x1b\[[0-9;]*m", "", text)
    assert max(len(line) for line in visible.splitlines()) <= width
    assert len(visible.splitlines()) > 10


def test_side_by_side_shows_old_left_and_new_right() -> None:
    text = render_text(diff_versions(OLD, NEW), side_by_side=True, width=100)
    row = next(line for line in text.splitlines() if "[-12-]" in line)
    left, right = row.split(" | ")
    assert "[-12-]" in left and "{+15+}" in right
    assert "15" not in left and "12" not in right


@given(paragraphs, paragraphs, st.integers(20, 120))
@settings(max_examples=50)
def test_side_by_side_never_exceeds_width(old: list[str], new: list[str], width: int) -> None:
    diff = diff_versions(body(*old), body(*new))
    lines = render_text(diff, side_by_side=True, width=width).splitlines()
    assert all(len(line) <= width for line in lines)


def test_side_by_side_refuses_a_width_too_small_to_read() -> None:
    with pytest.raises(ValueError, match="width"):
        render_text(diff_versions(OLD, NEW), side_by_side=True, width=10)


# --- HTML -------------------------------------------------------------------


def test_html_escapes_markup_on_both_sides() -> None:
    old = Text("Title <script>alert(1)</script>", BYLINE, "Safe text & more.")
    new = Text("Title", BYLINE, "Safe text & more.\n\n<script>alert(1)</script><b>x</b>")
    fragment = render_html(diff_versions(old, new))
    assert "<script>" not in fragment and "<b>" not in fragment
    assert '<del class="stet-delete">&lt;script&gt;alert(1)&lt;/script&gt;</del>' in fragment
    assert '<ins class="stet-insert">&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;x' in fragment
    assert "Safe text &amp; more." in fragment


def test_html_marks_paragraph_ops_and_words() -> None:
    fragment = render_html(diff_versions(OLD, NEW))
    assert fragment.startswith('<div class="stet-diff">') and fragment.endswith("</div>")
    assert '<del class="stet-delete">12</del><ins class="stet-insert">15</ins>' in fragment
    assert fragment.count('class="stet-para stet-equal"') == 5
    assert 'class="stet-para stet-delete" data-old-index="6"' in fragment
