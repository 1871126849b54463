"""Rendering post text as Mastodon-style HTML: exact shapes, escaping and safety properties."""

from __future__ import annotations

from html.parser import HTMLParser

import nh3
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from staffroom.text import render_html, render_plain_bio

# Text steered towards entities and markup (kept local: test modules are not a package).
FRAGMENTS = [
    "@alice",
    "@bob@remote.example.net",
    "@nobody",
    "#tag",
    "#",
    "@",
    "https://",
    "http://",
    "www.",
    "example.com/",
    "t.co/x",
    "?a=1&b=2",
    '"',
    "'",
    "<",
    ">",
    "&",
    "&amp;",
    "<b>",
    "</p>",
    "<script>",
    "\n",
    "\n\n",
    "\r",
    " ",
    "\xa0",
    "\x00",
    "é",
    "日本",
    "\u200d",
    "(",
    ")",
    "javascript:",
]
post_text = st.one_of(
    st.text(),
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=3)), max_size=40).map("".join),
)

ALLOWED_TAGS = {"p", "br", "a", "span"}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "class", "rel", "target", "translate"},
    "span": {"class", "translate"},
}


def mention_href(handle: str) -> str | None:
    if handle.startswith("nobody"):
        return None
    return f"https://staff.example.org/@{handle}"


def hashtag_href(tag: str) -> str:
    return f"https://staff.example.org/tags/{tag}"


def render(text: str) -> str:
    return render_html(text, mention_href=mention_href, hashtag_href=hashtag_href)


URL_HTML = (
    '<a href="{href}" target="_blank" rel="nofollow noopener noreferrer" translate="no">'
    '<span class="invisible">{prefix}</span><span class="{cls}">{shown}</span>'
    '<span class="invisible">{hidden}</span></a>'
)


def url_html(href: str, prefix: str, shown: str, hidden: str = "") -> str:
    cls = "ellipsis" if hidden else ""
    return URL_HTML.format(href=href, prefix=prefix, cls=cls, shown=shown, hidden=hidden)


def test_plain_text_is_escaped() -> None:
    assert render("<b>bold</b> & \"quoted\" 'single'") == (
        "<p>&lt;b&gt;bold&lt;/b&gt; &amp; \"quoted\" 'single'</p>"
    )
    assert render("<script>alert(1)</script>") == "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"
    assert render("a\xa0b &amp;") == "<p>a&nbsp;b &amp;amp;</p>"


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("one\ntwo", "<p>one<br />two</p>"),
        ("one\n\ntwo", "<p>one</p><p>two</p>"),
        ("one\r\n\r\ntwo\r\nthree", "<p>one</p><p>two<br />three</p>"),
        ("one\n  \n\n\ntwo", "<p>one</p><p>two</p>"),
        ("\n\none\n\n", "<p>one</p>"),
        ("one\n\n\n", "<p>one</p>"),
        ("", ""),
        ("  \n\n ", ""),
        ("a\x00b\x1bc", "<p>abc</p>"),
    ],
)
def test_paragraphs_and_line_breaks(text: str, html: str) -> None:
    assert render(text) == html


def test_mention_markup() -> None:
    assert render("hi @alice") == (
        '<p>hi <span class="h-card" translate="no"><a href="https://staff.example.org/@alice" '
        'class="u-url mention">@<span>alice</span></a></span></p>'
    )


def test_remote_mention_shows_username_only() -> None:
    assert render("@bob@remote.example.net") == (
        '<p><span class="h-card" translate="no">'
        '<a href="https://staff.example.org/@bob@remote.example.net" class="u-url mention">'
        "@<span>bob</span></a></span></p>"
    )


def test_same_username_on_two_servers_shows_full_handles() -> None:
    html = render("@bob @bob@remote.example.net @alice")
    assert "@<span>bob</span>" in html
    assert "@<span>bob@remote.example.net</span>" in html
    assert "@<span>alice</span>" in html


def test_unknown_mention_stays_text() -> None:
    assert render("@nobody & @nobody@x.example.net") == "<p>@nobody &amp; @nobody@x.example.net</p>"


def test_hashtag_markup() -> None:
    assert render("#Café") == (
        '<p><a href="https://staff.example.org/tags/Café" class="mention hashtag" rel="tag">'
        "#<span>Café</span></a></p>"
    )


def test_short_url_markup() -> None:
    assert render("https://example.com/path") == (
        "<p>" + url_html("https://example.com/path", "https://", "example.com/path") + "</p>"
    )


def test_long_url_is_shortened_like_mastodon() -> None:
    url = "https://www.example.com/a/long/path/to/some/resource?x=1&y=2"
    assert render(url) == (
        "<p>"
        + url_html(
            "https://www.example.com/a/long/path/to/some/resource?x=1&amp;y=2",
            "https://www.",
            "example.com/a/long/path/to/som",
            "e/resource?x=1&amp;y=2",
        )
        + "</p>"
    )


def test_url_without_scheme_gets_http() -> None:
    assert render("see example.com.") == (
        "<p>see " + url_html("http://example.com", "", "example.com") + ".</p>"
    )


def test_unsafe_hrefs_are_never_linked() -> None:
    html = render_html(
        "@alice #tag",
        mention_href=lambda _: "javascript:alert(1)",
        hashtag_href=lambda _: 'https://x.example/"onmouseover="alert(1)',
    )
    assert html == "<p>@alice #tag</p>"


def test_bio_with_rel_me() -> None:
    html = render_plain_bio(
        "https://me.example.org",
        mention_href=mention_href,
        hashtag_href=hashtag_href,
        rel_me=True,
    )
    assert 'rel="me nofollow noopener noreferrer"' in html
    assert render_plain_bio(
        "x\n\ny", mention_href=mention_href, hashtag_href=hashtag_href
    ) == render("x\n\ny")


class _TagCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


@settings(max_examples=400, deadline=None)
@given(post_text)
def test_rendered_html_is_safe(text: str) -> None:
    html = render(text)
    assert "<script" not in html.lower()
    collector = _TagCollector()
    collector.feed(html)
    collector.close()
    # Every "<" in the output opens or closes one of our own tags.
    assert html.count("<") == 2 * sum(1 for tag, _ in collector.tags if tag != "br") + sum(
        1 for tag, _ in collector.tags if tag == "br"
    )
    for tag, attrs in collector.tags:
        assert tag in ALLOWED_TAGS
        for name, value in attrs:
            assert name in ALLOWED_ATTRIBUTES.get(tag, set())
            if name == "href":
                assert value is not None
                assert value.lower().startswith(("http://", "https://"))
    cleaned = nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, link_rel=None)
    # html5ever writes void elements as <br>; otherwise the sanitiser must change nothing.
    assert cleaned == html.replace("<br />", "<br>")


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
def test_rendering_never_raises_on_any_text(text: str) -> None:
    render(text)
