"""The composer's counter (static/js/10-counter.js) counts exactly as the server does.

Every text of the twitter-text conformance suite (validate.yml and extract.yml, read from
shared/ at run time, whatever section and whether or not the server deviates from the suite's
expectation there), plus cases of our own, is counted by ``staffroom.text.weighted_length`` and
by the JavaScript file itself, run by node in one process (tests/web/counter_runner.js). The
two must agree on every text, with the default URL length and another one. Node is required:
without it this test fails, it does not skip.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from starlette.testclient import TestClient

from staffroom.text import weighted_length
from staffroom.text.tlds import ALL_TLDS
from staffroom.web.assets import STATIC_DIR
from tests.conftest import User
from tests.oauth.helpers import sign_in

ROOT = Path(__file__).resolve().parents[2]
SUITE = ROOT.parent / "shared" / "conformance" / "twitter-text"
COUNTER_JS = STATIC_DIR / "js" / "10-counter.js"
RUNNER_JS = Path(__file__).with_name("counter_runner.js")
URL_LENGTHS = (23, 30)

OWN_CASES = (
    "",
    "a" * 140,
    "a" * 141,
    "😀" * 140,
    "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466 family",
    "👍🏽 skin tone",
    "\U0001d400\U0001d401\U0001d402 astral letters",
    "漢字かなカナ한국어",
    "e\u0301 combining (NFC makes é)",
    "A\u030a ring, Å sign \u212b",
    "\ufb01 ligature stays (NFKC would not)",
    "http://example.com",
    "https://example.com/a/very/long/path?with=query&and=more#fragment " * 3,
    "HTTPS://EXAMPLE.COM/UPPER",
    "example.com without scheme",
    "www.example.com/path without scheme",
    "see example.com/x and https://example.org/y and example.net",
    "t.co/abc and https://t.co/abcdefghij?x=1 and http://t.co/" + "a" * 45,
    "http://müller.de/straße",
    "https://例え.テスト/ and https://例え.jp/",
    "http://" + "ü" * 70 + ".com",
    "http://xn--mller-kva.de",
    "https://example.com.",
    "(https://example.com/wiki/Foo_(bar))",
    "https://example.com/@alice/123",
    "@alice hello",
    "@alice@mastodon.social hello",
    "@alice@mastodon.social@x not a handle",
    ".@alice and RT @bob: hi",
    "alice@example.com is an e-mail",
    "@alice/list is a list",
    "#hashtag #123 #tag#more #ÑOÑO #タグ",
    "&#38; not a tag",
    "#️⃣ keycap",
    "\uff20fullwidth \uff03fullwidth",
    "mix @alice@example.org https://example.com/" + "x" * 200 + " #tag " + "z" * 80,
    "x" * 117 + " https://example.com/" + "y" * 50,  # exactly 140 with a URL
    "x" * 118 + " https://example.com/",  # 142
    "http\u017f://example.com long-s scheme",
    "\u202ahttps://example.com\u202c directional",
    "line\nbreaks\r\nand\ttabs https://example.com\n",
)


def _suite_texts() -> list[str]:
    texts: list[str] = []
    for name in ("validate.yml", "extract.yml"):
        path = SUITE / name
        if not path.is_file():
            pytest.fail(f"twitter-text conformance file missing: {path}", pytrace=False)
        with path.open(encoding="utf-8") as handle:
            tests: dict[str, list[dict[str, Any]]] = yaml.safe_load(handle)["tests"]
        for cases in tests.values():
            texts.extend(str(case["text"]) for case in cases)
    return texts


def _run_node(cases: list[dict[str, Any]]) -> dict[str, Any]:
    node = shutil.which("node")
    if node is None:
        pytest.fail(
            "node is not installed: the composer's counter (static/js/10-counter.js) must be "
            "checked against the server's counter with node (install Node.js >= 18)",
            pytrace=False,
        )
    done = subprocess.run(
        [node, str(RUNNER_JS), str(COUNTER_JS)],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def test_the_counter_counts_every_text_as_the_server_does() -> None:
    texts = [*_suite_texts(), *OWN_CASES]
    assert len(texts) > 300  # the whole suite was read
    cases: list[dict[str, Any]] = [{"text": t, "url_length": n} for n in URL_LENGTHS for t in texts]

    lengths = _run_node(cases)["lengths"]

    expected = [weighted_length(c["text"], c["url_length"]) for c in cases]
    mismatches = [
        f"{c['text']!r} (url_length {c['url_length']}): server {want}, counter {got}"
        for c, want, got in zip(cases, expected, lengths, strict=True)
        if want != got
    ]
    assert not mismatches, f"{len(mismatches)} of {len(cases)} differ:\n" + "\n".join(mismatches)


def test_the_counter_knows_the_servers_top_level_domains() -> None:
    assert set(_run_node([])["tlds"]) == set(ALL_TLDS)


def test_the_boundaries_agree_with_the_limit() -> None:
    url = "https://example.com/" + "p" * 40
    cases = ["a" * 140, "a" * 141, "x" * 116 + " " + url, "x" * 117 + " " + url]
    lengths = _run_node([{"text": t, "url_length": 23} for t in cases])["lengths"]
    assert lengths == [140, 141, 140, 141]


# --- the page's part --------------------------------------------------------------------------


def test_the_composer_renders_the_counter_with_translated_plural_messages(
    client: TestClient, make_user: Callable[..., User]
) -> None:
    user = make_user("alice")
    sign_in(client, user.email, user.password)

    html = client.get("/").text

    counter = re.search(r'<p class="counter" id="counter-status" hidden([^>]*)>', html)
    assert counter is not None
    attrs = dict(re.findall(r'(data-[\w-]+)="([^"]*)"', counter[1]))
    assert attrs["data-counter-for"] == "field-status"
    assert attrs["data-max"] == "140"
    assert attrs["data-url-length"] == "23"
    assert attrs["data-left-one"] == "{n} character left"
    assert attrs["data-left-other"] == "{n} characters left"
    assert attrs["data-over-other"] == "{n} characters over"
    assert "data-left-many" in attrs
    assert 'aria-describedby="hint-status' in html  # the limit is stated without script
    assert "Up to 140 characters" in html
    assert "<script>" not in html and " style=" not in html  # CSP: no inline script or style


def test_the_counter_script_does_nothing_without_a_composer() -> None:
    source = COUNTER_JS.read_text(encoding="utf-8")
    assert source.lstrip().startswith("/*")
    assert 'querySelectorAll("[data-counter-for]")' in source
    assert "innerHTML" not in source and ".style" not in source
