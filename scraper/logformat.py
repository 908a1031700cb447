"""One format for every log line, `stet`'s own and the crawl process's (issue 12)."""

LOG_LINE_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
LOG_DATE_FORMAT = "%Y-%m-%dT%H:%M:%S%z"
