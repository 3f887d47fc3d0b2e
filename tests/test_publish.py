"""`briefing publish`: the static site, its links, downloads, feed, sitemap and single-file pages."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from conftest import BASE_URL, write_files
from readers import broken_links, parse_html

from briefing.cli import main
from briefing.publish import publish

ATOM = "{http://www.w3.org/2005/Atom}"


def test_site_has_every_page_and_download(sample, published_sample):
    _, site = published_sample
    for audience in sample.audiences:
        for suffix in (".html", ".pdf", ".md", ".standalone.html", ".docx", ".pptx"):
            assert (site / audience / f"ai-silicon{suffix}").is_file(), (audience, suffix)
    for name in ("index.html", "sources.html", "sitemap.xml", "feed.xml", "assets/brief.css", "assets/favicon.svg"):
        assert (site / name).is_file(), name


def test_no_broken_internal_links_and_only_relative_ones(published_sample):
    _, site = published_sample
    assert broken_links(site) == []


def test_index_cards_link_every_format_for_every_audience(sample, published_sample):
    _, site = published_sample
    page = parse_html((site / "index.html").read_text())
    hrefs = {attrs["href"] for tag, attrs in page.tags if tag == "a"}
    for audience in sample.audiences:
        assert {f"{audience}/ai-silicon.html", f"{audience}/ai-silicon.pdf", f"{audience}/ai-silicon.md",
                f"{audience}/ai-silicon.standalone.html", f"{audience}/ai-silicon.docx",
                f"{audience}/ai-silicon.pptx"} <= hrefs
    assert {"sources.html", "feed.xml"} <= hrefs
    text = (site / "index.html").read_text()
    assert "Top takeaway" in text and "December 5, 2024" in text


def test_brief_pages_navigate_between_audiences_and_sections(sample, published_sample):
    _, site = published_sample
    page = parse_html((site / "board" / "ai-silicon.html").read_text())
    versions = [attrs["href"] for tag, attrs in page.tags if tag == "a" and attrs["href"].endswith("ai-silicon.html")]
    assert {f"../{a}/ai-silicon.html" for a in sample.audiences} <= set(versions)
    current = [attrs["href"] for tag, attrs in page.tags if attrs.get("aria-current") == "page"]
    assert current == ["../board/ai-silicon.html"]
    assert "#sources" in {attrs.get("href") for tag, attrs in page.tags if tag == "a"}


def test_canonical_and_social_meta_with_a_base_url(published_sample):
    _, site = published_sample
    page = parse_html((site / "technical" / "ai-silicon.html").read_text())
    links = {attrs["rel"]: attrs["href"] for tag, attrs in page.tags if tag == "link"}
    assert links["canonical"] == BASE_URL + "technical/ai-silicon.html"
    meta = {attrs.get("property") or attrs.get("name"): attrs.get("content")
            for tag, attrs in page.tags if tag == "meta"}
    assert meta["og:url"] == BASE_URL + "technical/ai-silicon.html"
    assert meta["og:title"] == "Big Tech’s custom AI silicon" and meta["twitter:card"] == "summary"


def test_sitemap_and_atom_feed_parse_and_point_at_real_pages(sample, published_sample):
    _, site = published_sample
    urls = [loc.text for loc in ET.parse(site / "sitemap.xml").getroot().iter(
        "{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert len(urls) == 2 + len(sample.audiences)
    for url in urls:
        assert url.startswith(BASE_URL) and (site / url.removeprefix(BASE_URL)).is_file()
    feed = ET.parse(site / "feed.xml").getroot()
    entries = feed.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == ["Big Tech's custom AI silicon"]
    assert entries[0].find(f"{ATOM}updated").text == "2024-12-05T00:00:00Z"
    href = entries[0].find(f"{ATOM}link").get("href")
    assert (site / href.removeprefix(BASE_URL)).is_file()


def test_single_file_pages_need_nothing_beside_them(published_sample):
    _, site = published_sample
    html = (site / "executive" / "ai-silicon.standalone.html").read_text()
    page = parse_html(html)
    for tag, attrs in page.tags:
        for key in ("href", "src"):
            value = attrs.get(key)
            if value and tag != "a":
                assert value.startswith("data:"), (tag, value)
    assert "data:font/woff2;base64," in html and "data:image/svg+xml;base64," in html
    assert "url(\"fonts/" not in html and "../assets" not in html


def test_without_a_base_url_there_is_no_feed_or_absolute_address(make_project, tmp_path):
    root = make_project()
    publish(root, out_dir=tmp_path / "site")
    assert not (tmp_path / "site" / "feed.xml").exists() and not (tmp_path / "site" / "sitemap.xml").exists()
    assert "canonical" not in (tmp_path / "site" / "technical" / "widgets.html").read_text()
    assert broken_links(tmp_path / "site") == []


def test_publishing_refuses_a_project_that_fails_check(make_project, tmp_path, capsys):
    root = make_project({"content/sources.yaml": "sources:\n  - id: memo\n    titel: x\n"})
    assert main(["publish", str(root), "--out", str(tmp_path / "site")]) == 1
    assert "did you mean 'title'?" in capsys.readouterr().err
    assert not (tmp_path / "site").exists()


def test_publish_command_writes_into_site(make_project, capsys):
    root = make_project()
    write_files(root, {})
    assert main(["publish", str(root), "--base-url", "https://example.org/b"]) == 0
    assert (root / "site" / "feed.xml").is_file()
    assert "Published" in capsys.readouterr().out


def test_site_pages_carry_the_brand_fonts_unescaped(published_sample):
    _, site = published_sample
    for page in ("index.html", "sources.html", "technical/ai-silicon.html"):
        html = (site / page).read_text()
        assert '--font-body: "Source Sans 3"' in html, page
        assert "&#34;" not in html.split("</style>")[0], page


@pytest.mark.parametrize("address", ["javascript:alert(1)//", "JaVaScRiPt:alert(1)", "file:///etc/", "/briefs/",
                                     "intranet.example/briefs", "https://", "https://user:pw@intranet.example/",
                                     'https://intranet.example/"><script>', "https://intranet.example/?q=1",
                                     "https://intra net.example/", "data:text/html,<b>"])
def test_publish_refuses_a_base_url_that_is_not_a_web_address(make_project, tmp_path, capsys, address):
    root = make_project()
    code = main(["publish", str(root), "--out", str(tmp_path / "site"), "--base-url", address])
    err = capsys.readouterr().err
    assert code == 2 and "is not a public web address" in err and "Traceback" not in err, err
    assert not (tmp_path / "site").exists()


def test_a_good_base_url_is_kept_normalised(make_project, tmp_path):
    root = make_project()
    publish(root, out_dir=tmp_path / "site", base_url="HTTPS://Intranet.example/briefs")
    feed = (tmp_path / "site/feed.xml").read_text()
    assert "https://intranet.example/briefs/" in feed.lower() and "javascript" not in feed
