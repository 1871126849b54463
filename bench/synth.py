"""Synthetic text for the benchmark dataset: names, bios, 140-character posts, their HTML.

Everything draws from a ``random.Random`` passed in, so a seed reproduces the same dataset.
The HTML follows Mastodon's markup for mentions and hashtags, like the server renders it.
"""

from __future__ import annotations

import random
from html import escape


def _words(text: str) -> list[str]:
    return text.split()


FIRST = _words(
    "amira ben chloe dara eli fatima george hana ivan jo kemal lena malik nia omar priya quinn "
    "rosa sam tariq uma vera will xena yusuf zoe ada bruno carla dev emma felix gita hugo iris "
    "jamal kai luca mina noor oscar pablo rhea sofia theo"
)
LAST = _words(
    "adams baker chen diaz evans fischer garcia hughes ito jones khan lopez moreau nakamura "
    "okafor patel quist rossi singh tanaka ueda vogel wong xu young zhang abbott brennan costa "
    "dubois"
)
SUBJECTS = _words(
    "maths physics chemistry biology history geography english french spanish art music drama "
    "computing design pe literacy numeracy science economics latin"
)
WORDS = _words(
    "today class students lesson plan idea great question homework marking feedback reading "
    "writing project group discussion assessment rubric curriculum unit starter plenary "
    "worksheet experiment trip parents meeting inset training resource slides quiz exam "
    "revision term week morning afternoon break lunch staffroom coffee tea colleague "
    "department head year seven eight nine ten eleven sixth form primary secondary tried "
    "loved shared found made used built tested asked learned taught noticed wondered really "
    "new simple quick brilliant useful tricky messy fun calm busy good better best anyone "
    "else has how what why when where does thanks please here this that with about for"
)
TAGS = _words(
    "edchat edtech mathschat scichat historyteacher ukedchat teachers teaching pedagogy "
    "assessment feedback reading literacy numeracy sen inclusion wellbeing cpd research "
    "retrievalpractice cognitivescience oracy stem steam primary secondary earlyyears "
    "edleadership behaviour curriculum homework classroom remotelearning"
)


def username(rng: random.Random, index: int) -> str:
    """A unique username (``index`` makes it unique; at most 30 characters)."""
    return f"{rng.choice(FIRST)}_{rng.choice(LAST)}{index}"


def display_name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST).title()} {rng.choice(LAST).title()}"


def bio(rng: random.Random) -> str:
    subject = rng.choice(SUBJECTS)
    years = rng.randint(1, 30)
    extra = " ".join(rng.choices(WORDS, k=rng.randint(3, 10)))
    return f"Teacher of {subject} for {years} years. {extra.capitalize()}."


def paragraph_html(text: str) -> str:
    return f"<p>{escape(text, quote=False)}</p>"


def post_words(rng: random.Random, budget: int) -> str:
    """Plain words filling at most ``budget`` characters (at least one word)."""
    target = rng.randint(min(30, budget), budget)
    words: list[str] = []
    length = -1
    while True:
        word = rng.choice(WORDS)
        if length + 1 + len(word) > target and words:
            break
        words.append(word)
        length += 1 + len(word)
    return " ".join(words)


def mention_html(base_url: str, name: str) -> str:
    return (
        f'<span class="h-card" translate="no"><a href="{base_url}/@{name}" '
        f'class="u-url mention">@<span>{name}</span></a></span>'
    )


def hashtag_html(base_url: str, tag: str) -> str:
    return (
        f'<a href="{base_url}/tags/{tag}" class="mention hashtag" rel="tag">#<span>{tag}</span></a>'
    )


def compose(
    rng: random.Random,
    base_url: str,
    *,
    mentions: list[str],
    tags: list[str],
    max_chars: int = 140,
) -> tuple[str, str]:
    """(text, content_html) of one post: mentions first, then words, then hashtags."""
    prefix = " ".join(f"@{name}" for name in mentions)
    suffix = " ".join(f"#{tag}" for tag in tags)
    budget = max_chars - len(prefix) - len(suffix) - 2
    body = post_words(rng, max(budget, 10)).capitalize()
    text = " ".join(part for part in (prefix, body, suffix) if part)
    html_parts = [mention_html(base_url, name) for name in mentions]
    html_parts.append(escape(body, quote=False))
    html_parts.extend(hashtag_html(base_url, tag) for tag in tags)
    return text, "<p>" + " ".join(html_parts) + "</p>"
