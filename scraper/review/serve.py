"""`stet serve`: the archive in Datasette, with Stet's review pages.

Datasette opens the archive read-only (mode=ro): the review pages never write,
while a crawl or `stet schedule` keeps writing to the same file (WAL mode).
"""

from __future__ import annotations

import asyncio
import copy
import json
import logging
from pathlib import Path
from typing import Any

import uvicorn
from datasette.app import Datasette
from datasette.plugins import pm

from scraper.errors import ArchiveError
from scraper.review import plugin
from scraper.store import Archive

log = logging.getLogger(__name__)

METADATA_PATH = Path(__file__).with_name("metadata.json")
PLUGIN_NAME = "stet_review"
# The metadata file describes the archive under this name; the real database
# is named after its file (archive.db -> "archive", news.db -> "news").
METADATA_DATABASE = "archive"


def load_metadata(database: str) -> dict[str, Any]:
    """The metadata file, with the archive's block under the database's name."""
    metadata: dict[str, Any] = json.loads(METADATA_PATH.read_text(encoding="utf-8"))
    block = metadata["databases"].pop(METADATA_DATABASE)
    metadata["databases"][database] = copy.deepcopy(block)
    metadata["plugins"][PLUGIN_NAME]["database"] = database
    return metadata


def build_datasette(db_path: Path) -> Datasette:
    """A Datasette serving the archive at db_path, with Stet's metadata and plugin."""
    db_path = _existing(db_path)
    if not pm.is_registered(plugin):
        # Installed copies load it through the datasette entry point; a source
        # checkout (and the tests) register it here.
        pm.register(plugin, name=PLUGIN_NAME)
    ds = Datasette(files=[str(db_path)], metadata=load_metadata(db_path.stem))
    return ds


def run(db_path: Path, host: str = "127.0.0.1", port: int = 8001) -> None:
    """Serve the archive until stopped, as `datasette serve` does (uvicorn, one worker)."""
    Archive(_existing(db_path)).close()  # bring the schema (and its views) up to date first
    ds = build_datasette(db_path)
    asyncio.run(ds.invoke_startup())
    log.info("serving %s at http://%s:%s/", db_path, host, port)
    uvicorn.run(ds.app(), host=host, port=port, log_level="info", lifespan="on", workers=1)


def _existing(db_path: Path) -> Path:
    """Serving a mistyped path must not create an empty archive there."""
    db_path = Path(db_path)
    if not db_path.is_file():
        raise ArchiveError(f"cannot serve archive {db_path}: no such file")
    return db_path
