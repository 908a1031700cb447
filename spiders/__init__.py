"""Scrapy spiders: see articles.py."""
