"""How a chat's posts group under the host's questions (pure; the room and the transcript
share it).

A host asks numbered questions ("Q1 What do you ...", "Q2 ..."); participants answer with
"A1 ..." or by replying to the question (or to an answer in its thread). Each post lands in
exactly one section: the section of the question it answers, or else the section of the
latest question asked before it as chatter; posts before the first question make the
opening section (number ``None``). Only a host's post is a question, so a participant who
writes "Q1" does not start one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

# "Q1", "Q1:", "Q1.", "Q1)", "Q 1 -" at the start, after any @mentions
_LEAD = r"^\s*(?:@[\w.@-]+\s+)*"
_QUESTION = re.compile(_LEAD + r"[Qq]\s?(\d{1,2})(?![\w])[\s:.)\-\u2013\u2014]*", re.UNICODE)
_ANSWER = re.compile(_LEAD + r"[Aa]\s?(\d{1,2})(?![\w])[\s:.)\-\u2013\u2014]*", re.UNICODE)


def question_number(text: str) -> int | None:
    """1 for "Q1: ..." (after any leading mentions), else ``None``."""
    m = _QUESTION.match(text)
    return int(m.group(1)) if m and int(m.group(1)) > 0 else None


def answer_number(text: str) -> int | None:
    """1 for "A1 ..." / "a1: ..." (after any leading mentions), else ``None``."""
    m = _ANSWER.match(text)
    return int(m.group(1)) if m and int(m.group(1)) > 0 else None


@dataclass(frozen=True, slots=True)
class ChatPost:
    """What grouping needs of a post: its plain text, author and reply target."""

    id: int
    account_id: int
    text: str
    in_reply_to_id: int | None
    created_at: datetime


@dataclass(slots=True)
class Section:
    """One question (``number`` None: before the first) with its answers and chatter."""

    number: int | None
    question: ChatPost | None
    answers: list[ChatPost] = field(default_factory=list)
    chatter: list[ChatPost] = field(default_factory=list)

    def posts(self) -> list[ChatPost]:
        """Everything in the section in time order, the question first."""
        rest = sorted([*self.answers, *self.chatter], key=lambda p: p.id)
        return ([self.question] if self.question else []) + rest


def group(
    posts: Iterable[ChatPost],
    host_ids: Iterable[int],
    numbered: Mapping[int, int] | None = None,
) -> list[Section]:
    """Group ``posts`` (any order) into sections in question order.

    ``numbered`` maps status ID -> question number for questions the room recorded
    explicitly (``event_questions``); a host's post starting "Qn" counts too. The first
    post to claim a number is that question; a later one is ordinary chatter."""
    hosts = set(host_ids)
    explicit = dict(numbered or {})
    ordered = sorted(posts, key=lambda p: p.id)
    opening = Section(number=None, question=None)
    sections: dict[int, Section] = {}
    home: dict[int, int | None] = {}  # post ID -> the section it went to
    current: int | None = None
    for post in ordered:
        number = explicit.get(post.id)
        if number is None and post.account_id in hosts:
            number = question_number(post.text)
        if number is not None and number not in sections:
            sections[number] = Section(number=number, question=post)
            home[post.id] = number
            current = number
            continue
        target = _answered(post, home, sections)
        if target is not None:
            sections[target].answers.append(post)
            home[post.id] = target
        else:
            (sections[current] if current is not None else opening).chatter.append(post)
            home[post.id] = current
    ordered_sections = [sections[n] for n in sorted(sections)]
    return ([opening] if opening.chatter else []) + ordered_sections


def _answered(
    post: ChatPost, home: Mapping[int, int | None], sections: Mapping[int, Section]
) -> int | None:
    """The question a post answers: its "An" prefix, else the thread it replies into."""
    number = answer_number(post.text)
    if number is not None and number in sections:
        return number
    if post.in_reply_to_id is not None:
        parent = home.get(post.in_reply_to_id)
        if parent is not None:
            parent_section = sections[parent]
            replied_to_question = (
                parent_section.question and parent_section.question.id == post.in_reply_to_id
            )
            if replied_to_question or any(
                a.id == post.in_reply_to_id for a in parent_section.answers
            ):
                return parent
    return None
