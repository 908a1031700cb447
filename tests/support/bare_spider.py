"""The baseline of tests/bench_site.py: a bare Scrapy spider that fetches a site's
articles (from the sitemap its robots.txt names) and does nothing with them.

    scrapy runspider tests/support/bare_spider.py -a start=http://127.0.0.1:PORT/
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from scrapy.http import Response
from scrapy.spiders import SitemapSpider


class BareSpider(SitemapSpider):
    name = "bare"

    def __init__(self, start: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.sitemap_urls = [start.rstrip("/") + "/robots.txt"]

    def parse(self, response: Response) -> Iterator[dict[str, Any]]:
        yield from ()
