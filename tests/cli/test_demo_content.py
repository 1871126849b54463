"""The demo's hand-written content and its seeded plan (no database)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from staffroom.cli.demo import SPAN_DAYS, flatten, plan_demo
from staffroom.cli.demo_content import ADMIN_USERNAME, PEOPLE, SINGLES, THREADS
from staffroom.services.profiles import ProfileUpdate, check_profile
from staffroom.services.registration import SignUp, check_sign_up
from staffroom.text import extract_hashtags, extract_mentions, weighted_length

NOW = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)
POSTS = flatten(SINGLES + THREADS)


def test_people_are_valid_sign_ups_with_short_tagged_bios() -> None:
    assert 30 <= len(PEOPLE) <= 40
    assert len({p.username.lower() for p in PEOPLE}) == len(PEOPLE)
    assert len({p.display_name for p in PEOPLE}) == len(PEOPLE)
    for person in PEOPLE:
        check_sign_up(SignUp(person.username, person.email, "staffroom-demo-2026",
                             display_name=person.display_name))  # fmt: skip
        check_profile(ProfileUpdate(note=person.bio, interests=list(person.interests)))
        assert len(person.bio) <= 160, person.username
        assert extract_hashtags(person.bio), person.username
        assert person.interests, person.username
        assert person.email.endswith("@demo.staffroom.test")
    assert len({p.group for p in PEOPLE}) >= 8
    assert [p.username for p in PEOPLE].count(ADMIN_USERNAME) == 1


def test_every_post_fits_140_characters_and_mentions_real_people() -> None:
    names = {p.username for p in PEOPLE}
    assert 230 <= len(POSTS) <= 300
    for item in POSTS:
        text = item.post.text
        assert item.post.author in names
        assert 0 < weighted_length(text) <= 140, text
        assert set(extract_mentions(text)) <= names, text
        assert "lorem" not in text.lower()
    assert len({item.post.text for item in POSTS}) == len(POSTS)  # no repeats


def test_replies_address_the_post_they_answer_and_threads_go_deep() -> None:
    depth: list[int] = []
    for item in POSTS:
        if item.parent is None:
            depth.append(1)
            continue
        parent = POSTS[item.parent]
        assert item.post.text.startswith(f"@{parent.post.author} "), item.post.text
        assert parent.post.visibility == "public"
        depth.append(depth[item.parent] + 1)
    assert max(depth) == 4
    assert sum(1 for d in depth if d >= 3) >= 10


def test_posts_mix_hashtags_links_questions_and_audiences() -> None:
    texts = [item.post.text for item in POSTS]
    assert sum("https://example." in t for t in texts) >= 30
    assert sum("?" in t for t in texts) >= 40
    tags = {tag.lower() for t in texts for tag in extract_hashtags(t)}
    assert {"eltchat", "lrnchat", "edchat", "mathchat", "scichat", "ukedchat"} <= tags
    audiences = [item.post.visibility for item in POSTS]
    assert audiences.count("unlisted") >= 2
    assert audiences.count("private") >= 2


def test_plan_is_deterministic() -> None:
    assert plan_demo(now=NOW) == plan_demo(now=NOW)


def test_follow_graph_has_clusters_and_hubs() -> None:
    plan = plan_demo(now=NOW)
    group = {p.username: p.group for p in PEOPLE}
    followers: dict[str, int] = {p.username: 0 for p in PEOPLE}
    for follower, followed in plan.follows:
        assert follower != followed
        followers[followed] += 1
    assert len(set(plan.follows)) == len(plan.follows)
    assert 250 <= len(plan.follows) <= 600
    same_group = sum(group[a] == group[b] for a, b in plan.follows)
    assert same_group / len(plan.follows) > 0.25  # groups are ~1/8 of all pairs
    hub_average = sum(followers[p.username] for p in PEOPLE if p.hub) / 4
    others = [p for p in PEOPLE if not p.hub and p.username != ADMIN_USERNAME]
    assert hub_average > 1.5 * sum(followers[p.username] for p in others) / len(others)
    assert all(followers[p.username] > 0 for p in PEOPLE)


def test_events_are_causal_and_spread_over_three_weeks() -> None:
    plan = plan_demo(now=NOW)
    posted_at: dict[int, datetime] = {}
    for event in plan.events:
        assert NOW - timedelta(days=SPAN_DAYS) <= event.when <= NOW
        if event.kind == "post":
            parent = plan.posts[event.post].parent
            assert parent is None or parent in posted_at  # replies after what they answer
            posted_at[event.post] = event.when
        else:
            assert event.post in posted_at  # reactions after the post
            assert event.actor != plan.posts[event.post].post.author
    assert len(posted_at) == len(plan.posts)
    days = {(NOW - when).days for when in posted_at.values()}
    assert len(days) >= 18
    reblogs = [e for e in plan.events if e.kind == "reblog"]
    assert all(plan.posts[e.post].post.visibility == "public" for e in reblogs)
    assert len({(e.actor, e.post) for e in reblogs}) == len(reblogs)


def test_followers_only_posts_are_favourited_only_by_followers() -> None:
    plan = plan_demo(now=NOW)
    follows = set(plan.follows)
    for event in plan.events:
        post = plan.posts[event.post].post
        if event.kind != "post" and post.visibility == "private":
            assert (event.actor, post.author) in follows
