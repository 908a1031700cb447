"""One format for every log line, `stet`'s own and the crawl process's (issue 12)."""

LOG_LINE_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
LOG_DATE_FORMAT = "%Y-%m-%dT%H:%M:%S%z"
# The crawl process's LOG_LEVEL for -q, the default, -v and -vv. At -v the crawl shows
# only Stet's own INFO lines (a line per page), not Scrapy's (scraper.crawl.child).
LOG_LEVELS = ("ERROR", "WARNING", "WARNING", "DEBUG")
