"""`stet card` and the card link of the diff page: a PNG read back with Pillow."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path

from click.testing import CliRunner
from PIL import Image

from scraper.cli import cli
from scraper.model import CleanPage, PageItem
from scraper.review.serve import build_datasette
from scraper.store import Archive

URL = "https://news.example/2026/01/budget"
SCRIPT = "<script>alert(1)</script>"
GREEN, RED = (215, 245, 221), (251, 220, 220)  # the card's backgrounds of added, removed words


def archive(path: Path, *, same: bool = False) -> Path:
    store = Archive(path)
    bodies = ["The council approved 120 million.\n\nWork starts in May.",
              "The council approved 150 million.\n\nWork starts in May."]
    for day, body in enumerate(bodies[:1] * 2 if same else bodies, 1):
        item = PageItem(url=URL, source="example", status=200, body=body.encode(),
                        fetched_at=f"2026-01-0{day}T10:00:00Z")
        store.save_page(item, CleanPage(headline=f"{SCRIPT} Budget", byline="By Ana", body=body))
    store.close()
    return path


def colours(image: Image.Image) -> set[tuple[int, int, int]]:
    return {colour for _, colour in image.convert("RGB").getcolors(maxcolors=1 << 20) or []}


def test_card_command_writes_the_edit_as_png(tmp_path: Path) -> None:
    db = archive(tmp_path / "archive.db")
    out = tmp_path / "edit.png"
    result = CliRunner().invoke(cli, ["--db", str(db), "card", URL, "-o", str(out)])
    assert result.exit_code == 0, result.output
    with Image.open(out) as image:
        assert image.format == "PNG"
        assert image.width == 1200 and 200 < image.height < 1800
        assert image.info["Source"] == URL
        assert image.info["Comment"] == "versions 1->2"
        assert {GREEN, RED} <= colours(image)


def test_card_of_a_first_version_shows_no_change_colours(tmp_path: Path) -> None:
    db = archive(tmp_path / "archive.db")
    out = tmp_path / "same.png"
    result = CliRunner().invoke(cli, ["--db", str(db), "card", URL, "--from", "1", "--to", "1",
                                      "-o", str(out)])
    assert result.exit_code == 0, result.output
    with Image.open(out) as image:
        assert not {GREEN, RED} & colours(image)


def test_card_of_an_unknown_article_is_a_usage_error(tmp_path: Path) -> None:
    db = archive(tmp_path / "archive.db")
    result = CliRunner().invoke(cli, ["--db", str(db), "card", "https://nowhere.example/x",
                                      "-o", str(tmp_path / "x.png")])
    assert result.exit_code == 2
    assert not (tmp_path / "x.png").exists()


def test_diff_page_card_link_serves_the_same_image(tmp_path: Path) -> None:
    db = archive(tmp_path / "archive.db")
    ds = build_datasette(db)
    asyncio.run(ds.invoke_startup())
    response = asyncio.run(ds.client.get("/-/stet/card/1/1/2.png"))
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
    with Image.open(io.BytesIO(response.content)) as image:
        assert image.info["Source"] == URL
        assert {GREEN, RED} <= colours(image)
    assert asyncio.run(ds.client.get("/-/stet/card/1/1/9.png")).status_code == 404
