"""The filter form of the settings (``web/settings_filters.py``): reading it into the filters
service's ``FilterChanges``, and the service's refusals as words next to the fields.

The form works as a plain form: keywords are numbered rows (``kw-0-keyword``,
``kw-0-whole_word``, ``kw-0-id`` and ``kw-0-remove`` for a saved one), with a few empty rows
for new keywords; what was typed comes back as rows when the form is shown again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from starlette.datastructures import FormData

from staffroom.errors import ValidationFailed
from staffroom.ids import parse_id
from staffroom.services import filters
from staffroom.services.filters import Filter, FilterChanges, KeywordChange
from staffroom.web.forms import form_text
from staffroom.web.i18n import N_

Problem = tuple[str, dict[str, Any]]
Errors = dict[str, Problem]

EMPTY_ROWS = 3  # blank keyword rows offered each time (no JavaScript needed to add more)
MAX_ROWS = 60

CONTEXT_LABELS = (
    ("home", N_("Home timeline and lists")),
    ("notifications", N_("Notifications")),
    ("public", N_("Public timelines, hashtags and search")),
    ("thread", N_("Conversations and threads")),
    ("account", N_("Profiles")),
)
ACTION_LABELS = (
    (
        "warn",
        N_("Hide with a warning"),
        N_("The post is collapsed behind the filter's title; “Show anyway” opens it."),
    ),
    ("hide", N_("Hide completely"), N_("The post is left out, as if it did not exist.")),
    (
        "blur",
        N_("Hide images"),
        N_("The text shows; its images stay hidden behind a warning until you open them."),
    ),
)
# (form value, seconds or None, label): Mastodon's web choices.
EXPIRY_CHOICES: tuple[tuple[str, int | None, str], ...] = (
    ("never", None, N_("Never")),
    ("1800", 1800, N_("30 minutes")),
    ("3600", 3600, N_("1 hour")),
    ("21600", 21600, N_("6 hours")),
    ("43200", 43200, N_("12 hours")),
    ("86400", 86400, N_("1 day")),
    ("604800", 604800, N_("1 week")),
)
KEEP = "keep"

CHOOSE = N_("Please choose one of the options.")
_MESSAGES: tuple[tuple[str, str, str], ...] = (  # (service message part, field, page string)
    ("Title", "title", N_("Give the filter a title.")),
    ("Context", "context", N_("Choose at least one place where the filter applies.")),
    ("Action", "action", CHOOSE),
    ("Keywords keyword", "keywords", N_("A keyword cannot be empty: type one or tick “Remove”.")),
)
NO_RULES = N_("Add at least one keyword: a filter without keywords or posts does nothing.")


@dataclass(slots=True)
class KeywordRow:
    """One row of the keyword rows as the form shows it."""

    id: str = ""
    keyword: str = ""
    whole_word: bool = True
    remove: bool = False


@dataclass(slots=True)
class FilterForm:
    """What the form shows (and, read from a submission, what was typed)."""

    title: str = ""
    context: list[str] = field(default_factory=lambda: ["home", "public", "thread"])
    action: str = "warn"
    expiry: str = "never"
    rows: list[KeywordRow] = field(default_factory=list)

    @classmethod
    def of(cls, found: Filter) -> FilterForm:
        """The form of a saved filter, with blank rows to add keywords."""
        rows = [KeywordRow(str(k.id), k.keyword, k.whole_word) for k in found.keywords]
        return cls(
            title=found.title,
            context=list(found.context),
            action=found.action,
            expiry="never" if found.expires_at is None else KEEP,
            rows=rows,
        ).padded()

    def padded(self) -> FilterForm:
        """The rows, then :data:`EMPTY_ROWS` blank ones."""
        kept = [r for r in self.rows if r.id or r.keyword.strip()]
        self.rows = kept + [KeywordRow() for _ in range(EMPTY_ROWS)]
        return self


def read_filter_form(form: FormData) -> FilterForm:
    """The submitted filter form, as typed."""
    rows: list[KeywordRow] = []
    for i in range(MAX_ROWS):
        prefix = f"kw-{i}-"
        if prefix + "keyword" not in form and prefix + "id" not in form:
            break
        rows.append(
            KeywordRow(
                id=form_text(form.get(prefix + "id")).strip(),
                keyword=form_text(form.get(prefix + "keyword")),
                whole_word=bool(form_text(form.get(prefix + "whole_word"))),
                remove=bool(form_text(form.get(prefix + "remove"))),
            )
        )
    return FilterForm(
        title=form_text(form.get("title")),
        context=[form_text(v) for v in form.getlist("context")],
        action=form_text(form.get("action")),
        expiry=form_text(form.get("expires_in")) or "never",
        rows=rows,
    )


def to_changes(typed: FilterForm, current: Filter | None) -> tuple[FilterChanges, Errors]:
    """The service's changes for ``typed`` (a new filter if ``current`` is ``None``), and the
    problems the form itself finds (the service's own are :func:`service_errors`)."""
    errors: Errors = {}
    changes = FilterChanges(title=typed.title.strip(), context=typed.context)
    changes.action = typed.action
    if typed.expiry == KEEP and current is not None and current.expires_at is not None:
        changes.expires_in = filters.UNSET
    else:
        seconds = {value: s for value, s, _ in EXPIRY_CHOICES}
        if typed.expiry in seconds:
            changes.expires_in = seconds[typed.expiry]
        else:
            errors["expires_in"] = (CHOOSE, {})
    owned = {k.id for k in current.keywords} if current is not None else set()
    left = 0
    for row in typed.rows:
        if row.id:
            keyword_id = parse_id(row.id)
            if keyword_id is None or keyword_id not in owned:
                errors["keywords"] = (CHOOSE, {})
                continue
            changes.keywords.append(
                KeywordChange(keyword_id, row.keyword.strip(), row.whole_word, row.remove)
            )
            left += 0 if row.remove else 1
        elif row.keyword.strip() and not row.remove:
            changes.keywords.append(KeywordChange(None, row.keyword.strip(), row.whole_word))
            left += 1
    posts = len(current.statuses) if current is not None else 0
    if left == 0 and posts == 0 and "keywords" not in errors:
        errors["keywords"] = (NO_RULES, {})
    return changes, errors


def service_errors(exc: ValidationFailed) -> Errors:
    """The service's refusal (Mastodon's messages, joined) as words next to the fields."""
    errors: Errors = {}
    for part, name, words in _MESSAGES:
        if part in exc.message and name not in errors:
            errors[name] = (words, {})
    return errors or {"title": (N_("The filter could not be saved."), {})}


def check(typed: FilterForm, current: Filter | None) -> tuple[FilterChanges, Errors]:
    """:func:`to_changes`, then the service's own checks: every problem at once."""
    changes, errors = to_changes(typed, current)
    try:
        filters.check_changes(changes, new=current is None)
    except ValidationFailed as exc:
        errors = {**service_errors(exc), **errors}
    return changes, errors


def expiry_state(expires_at: datetime | None, now: datetime) -> str:
    """``never``, ``expired`` or ``active``: how the pages describe a filter's expiry."""
    if expires_at is None:
        return "never"
    return "expired" if expires_at <= now else "active"
