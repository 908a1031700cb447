"""Review pages for the archive: Datasette metadata, plugin, templates and `stet serve`."""
