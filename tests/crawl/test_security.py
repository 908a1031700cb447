"""Security (tracker issue 5): http(s) only, no private addresses, verified TLS.

Only 127.0.0.1 is ever connected to. Requests for 169.254.169.254 and 10.x must be
refused before any connection: the fetch rows say "blocked", and DOWNLOAD_TIMEOUT
is tiny, so an attempt would show up as a timeout error instead.
"""

from __future__ import annotations

import datetime
import ipaddress
import socket
import ssl
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from test_hostile import english, last_fetch, path, query, run_crawl

from scraper.crawl.safety import BlockedAddress, GuardedResolver, blocked_reason
from scraper.crawl.sources import Source, source_for_url
from scraper.urls import forbidden_address
from support.hostile import HostileServer, answer, redirect
from support.site import Site, serve_site

GUARD = {"DOWNLOAD_TIMEOUT": "1", "RETRY_TIMES": "0"}


@pytest.mark.parametrize(("address", "forbidden"), [
    ("127.0.0.1", True), ("10.1.2.3", True), ("172.16.0.1", True), ("172.31.255.255", True),
    ("192.168.1.1", True), ("169.254.169.254", True), ("0.0.0.0", True), ("::1", True),
    ("fd00::1", True), ("fe80::1%eth0", True), ("::ffff:10.0.0.5", True), ("224.0.0.1", True),
    ("100.64.0.1", True), ("not-an-address", True),
    ("93.184.215.14", False), ("172.32.0.1", False), ("2606:4700::6810:84e5", False),
])
def test_forbidden_address(address: str, forbidden: bool) -> None:
    assert forbidden_address(address) is forbidden


def test_blocked_reason_on_getaddrinfo_results() -> None:
    local = socket.getaddrinfo("localhost", 80, proto=socket.IPPROTO_TCP)
    assert (blocked_reason(str(info[4][0]) for info in local) or "").startswith(
        "blocked: private address ")
    mixed = [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, 80))
             for ip in ("93.184.215.14", "10.0.0.5")]  # as getaddrinfo returns them
    assert blocked_reason(str(info[4][0]) for info in mixed) == "blocked: private address 10.0.0.5"
    assert blocked_reason(["93.184.215.14", "2606:4700::6810:84e5"]) is None


def test_resolver_refuses_private_answers_unless_exempt() -> None:
    """The DNS backstop: what the connection would use is checked again (rebinding)."""
    resolver = GuardedResolver(reactor=None, cache_size=0, timeout=1.0)  # type: ignore[arg-type]
    resolver.exempt = frozenset({"intranet.example"})
    with pytest.raises(BlockedAddress, match=r"blocked: private address 10\.0\.0\.5"):
        resolver._check("10.0.0.5", "rebound.example")
    assert resolver._check("10.0.0.5", "intranet.example") == "10.0.0.5"
    assert resolver._check("93.184.215.14", "public.example") == "93.184.215.14"
    resolver.allow_all = True
    assert resolver._check("10.0.0.5", "rebound.example") == "10.0.0.5"


def test_local_source_cannot_reach_metadata_or_intranet(tmp_path: Path) -> None:
    """A local source may reach its own host, nothing else private: links in its feed,
    a feed that redirects and an article that redirects are all refused unsent."""
    metadata = "http://169.254.169.254/latest/meta-data/"
    intranet = "http://10.1.2.3/news/2025/09/05/intranet-story-from-the-feed"
    with HostileServer() as server:
        server.route("/", answer('<html><head><link rel="alternate" type="application/rss+xml"'
                                 ' href="/feed.xml"><link rel="alternate" type="application/'
                                 f'rss+xml" href="/moved-feed.xml"></head><body><a href='
                                 f'"{path("metadata-redirect")}">x</a></body></html>'))
        server.route("/feed.xml", answer(
            f"<rss><channel><item><link>{intranet}</link></item><item><link>"
            f"{server.url(path('normal-story-one'))}</link></item></channel></rss>",
            headers={"Content-Type": "application/rss+xml"}))
        server.route("/moved-feed.xml", redirect(metadata))
        server.route(path("metadata-redirect"), redirect(metadata))
        server.route(path("normal-story-one"), answer(english("first")))
        db = tmp_path / "archive.db"
        run_crawl([source_for_url(server.url("/"))], db, tmp_path, GUARD)
    assert last_fetch(db, intranet) == ("skipped", None, "blocked: private address 10.1.2.3")
    assert last_fetch(db, server.url("/moved-feed.xml")) == (
        "skipped", None, "blocked: private address 169.254.169.254")
    outcome, _status, error = last_fetch(db, server.url(path("metadata-redirect")))
    assert outcome == "skipped" and "169.254.169.254" in (error or "")
    assert last_fetch(db, server.url(path("normal-story-one")))[0] == "new"


def test_local_source_reaches_its_host_under_any_loopback_name(tmp_path: Path) -> None:
    """Started at 127.0.0.1, a feed may name the same machine as localhost."""
    with HostileServer() as server:
        port = server.url("/").split(":")[2].rstrip("/")
        aliased = f"http://localhost:{port}{path('normal-story-one')}"
        server.route("/feed.xml", answer(f"<rss><channel><item><link>{aliased}</link></item>"
                                         "</channel></rss>",
                                         headers={"Content-Type": "application/rss+xml"}))
        server.route(path("normal-story-one"), answer(english("first")))
        db = tmp_path / "archive.db"
        run_crawl([source_for_url(server.url("/feed.xml"))], db, tmp_path, GUARD)
    assert last_fetch(db, aliased)[0] == "new"


def test_loopback_names() -> None:
    from scraper.crawl.safety import may_reach
    from scraper.urls import is_loopback

    assert all(is_loopback(h) for h in ("localhost", "a.localhost", "127.0.0.1", "127.9.9.9",
                                        "::1", "[::1]", "::ffff:127.0.0.1"))
    assert not any(is_loopback(h) for h in ("10.0.0.1", "169.254.169.254", "example.com"))
    assert may_reach("localhost", frozenset({"127.0.0.1"}))
    assert not may_reach("10.1.2.3", frozenset({"127.0.0.1"}))
    assert not may_reach("localhost", frozenset({"10.1.2.3"}))


def public_source(server: HostileServer) -> Source:
    """A source that does not allow private addresses, yet points at this machine:
    directly, by name, and by the decimal and short forms of 127.0.0.1."""
    port = server.url("/").split(":")[2].rstrip("/")
    urls = (server.url("/"), f"http://localhost:{port}/", f"http://2130706433:{port}/",
            f"http://127.1:{port}/")
    return Source(name="looks-public", urls=urls, allow_private=False)


def test_public_source_never_reaches_a_private_address(tmp_path: Path) -> None:
    with HostileServer() as server:
        server.route("/", answer("<html><body>secret admin page</body></html>"))
        source = public_source(server)
        db = tmp_path / "archive.db"
        run_crawl([source], db, tmp_path, GUARD)
        assert server.paths() == []  # not even robots.txt
    rows = query(db, "select url, outcome, error from fetches order by id")
    assert sorted(url for url, _o, _e in rows) == sorted(source.urls)
    assert {(outcome, error) for _u, outcome, error in rows} <= {
        ("skipped", "blocked: private address 127.0.0.1"),
        ("skipped", "blocked: private address (localhost)")}


def test_stet_allow_private_setting_lets_it_through(tmp_path: Path) -> None:
    with HostileServer() as server:
        server.route("/", answer(f'<a href="{path("normal-story-one")}">x</a>'))
        server.route(path("normal-story-one"), answer(english("first")))
        db = tmp_path / "archive.db"
        source = replace(public_source(server), urls=(server.url("/"),))
        run_crawl([source], db, tmp_path, {"STET_ALLOW_PRIVATE": "True"})
    assert last_fetch(db, server.url(path("normal-story-one")))[0] == "new"


def self_signed(directory: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 signed by itself, and its key."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=30))
            .add_extension(x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


@pytest.fixture
def tls_site(tmp_path: Path) -> Iterator[Site]:
    """The conftest Site, served over HTTPS with a self-signed certificate."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*self_signed(tmp_path))
    with serve_site(tls=context) as pages:
        yield pages


def test_self_signed_certificate_is_refused_unless_the_source_opts_out(
        tls_site: Site, tmp_path: Path) -> None:
    tls_site.set("/", f'<a href="{path("normal-story-one")}">x</a>')
    tls_site.set(path("normal-story-one"), english("first"))
    strict = source_for_url(tls_site.url("/"))
    run_crawl([strict], tmp_path / "strict.db", tmp_path, {"RETRY_TIMES": "0"})
    outcome, status, error = last_fetch(tmp_path / "strict.db", tls_site.url("/"))
    assert (outcome, status) == ("error", None)
    assert "TLS: certificate verify failed; verify_tls = false" in (error or "")
    assert "\n" not in (error or "") and tls_site.paths() == []
    lenient = replace(strict, verify_tls=False)
    run_crawl([lenient], tmp_path / "lenient.db", tmp_path, {})
    assert last_fetch(tmp_path / "lenient.db", tls_site.url(path("normal-story-one")))[0] == "new"

