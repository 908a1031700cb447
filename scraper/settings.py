"""Scrapy settings for Stet: polite by default.

Stet identifies itself honestly, obeys robots.txt (a disallowed page is never
requested, see ``scraper.crawl.middlewares.RobotsGuardMiddleware``), adapts its pace to
each server (AutoThrottle), honours ``Retry-After`` and never lets an HTTP cache
decide whether an article changed. Every knob can be overridden per run with
``scrapy crawl articles -s NAME=VALUE``.
"""

from __future__ import annotations

import os

from scraper import __version__
from scraper.logformat import LOG_DATE_FORMAT, LOG_LINE_FORMAT
from scraper.store import DEFAULT_ARCHIVE

BOT_NAME = "stet"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"

STET_CONTACT_URL = os.environ.get("STET_CONTACT_URL", "https://github.com/stet-news/stet")
USER_AGENT = f"Stet/{__version__} (+{STET_CONTACT_URL})"
DEFAULT_REQUEST_HEADERS = {
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "Accept-Language": "*",
}

# Stet's own settings.
STET_DB = os.environ.get("STET_DB") or DEFAULT_ARCHIVE
STET_SOURCES = os.environ.get("STET_SOURCES") or "sources.toml"
# Discovery budgets, per source and pass (a source's max_new_articles / max_sitemaps
# override the first two). Sitemap indexes are followed newest first as deep as they
# nest; what a budget stops is the frontier the next pass starts from (issue 9).
STET_MAX_NEW_ARTICLES = 5000  # new article pages fetched
STET_MAX_SITEMAPS = 500  # sitemaps fetched, indexes included
STET_MAX_LISTED_URLS = 50_000  # listed article URLs held; past it, no more sitemaps are read
STET_MAX_SECTION_PAGES = 12  # section fronts a start page's menus link (0: none)
STET_MAX_RETRY_AFTER = 120  # seconds; a longer Retry-After gives up (outcome error)
STET_RETRY_AFTER_TIMES = 3  # retries that honour Retry-After, besides RETRY_TIMES
STET_ALLOW_PRIVATE = False  # True lets every source reach loopback/private addresses

# Safety (scraper/safety.py): public addresses only, checked after DNS on every hop;
# TLS certificates verified unless a source says verify_tls = false.
TWISTED_DNS_RESOLVER = "scraper.crawl.safety.GuardedResolver"
DOWNLOAD_HANDLERS = {"https": "scraper.crawl.safety.VerifiedDownloadHandler"}

# Politeness.
ROBOTSTXT_OBEY = True
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
CONCURRENT_REQUESTS_PER_DOMAIN = 4
# Many sites in one pass: each host keeps its own slot (the per-host limit above, its
# own delay), and the sites proceed side by side. The global cap only bounds a pass over
# many sites; the scheduler hands out the request of the least busy host first.
CONCURRENT_REQUESTS = 256
SCHEDULER_PRIORITY_QUEUE = "scrapy.pqueues.DownloaderAwarePriorityQueue"
STET_EXTRACT_WORKERS = None  # processes cleaning pages: None one per core, 0 in-process
DOWNLOAD_DELAY = 0.25

# Limits.
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
DOWNLOAD_TIMEOUT = 30
REDIRECT_MAX_TIMES = 5
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]

# Freshness is the archive's business (ETag / If-Modified-Since), never a cache's.
HTTPCACHE_ENABLED = False
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False

DOWNLOADER_MIDDLEWARES = {
    # Before robots.txt is asked for: no request may reach a private address.
    "scraper.crawl.safety.AddressGuardMiddleware": 60,
    # Sees a redirect before RedirectMiddleware (600) follows it.
    "scraper.crawl.safety.RedirectGuardMiddleware": 650,
    # Replaces the stock robots.txt middleware at the same place in the chain.
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "scraper.crawl.middlewares.RobotsGuardMiddleware": 100,
    # Replaces the stock retry middleware: the same, plus Retry-After.
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "scraper.crawl.middlewares.RetryAfterMiddleware": 550,
    # Last before the download: per-host concurrency that holds with DOWNLOAD_DELAY = 0.
    "scraper.crawl.middlewares.HostConcurrencyMiddleware": 950,
}
ITEM_PIPELINES = {"scraper.crawl.pipeline.ArchivePipeline": 300}
# The crawl's counts for its parent (progress bar, pass verdict) when STET_PROGRESS_FILE is set.
EXTENSIONS = {"scraper.crawl.progress.StatsFile": 500}

LOG_LEVEL = "INFO"
# One format for every log line, the crawl's and `stet`'s own (scraper.logformat).
LOG_FORMAT = LOG_LINE_FORMAT
LOG_DATEFORMAT = LOG_DATE_FORMAT
FEED_EXPORT_ENCODING = "utf-8"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
