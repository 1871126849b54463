"""The web pages speak the visitor's language: English, and Spanish as the proof that a
second language works end to end (catalog, negotiation, rendering)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from starlette.testclient import TestClient

from staffroom.web import i18n
from tests.conftest import User
from tests.oauth.helpers import form_with_button, sign_in

MakeUser = Callable[..., User]

ROOT = Path(__file__).resolve().parents[2]
SPANISH = i18n.LOCALES_DIR / "es" / "LC_MESSAGES" / "messages.po"


@pytest.mark.parametrize(
    ("header", "locale"),
    [
        ("es-MX,es;q=0.9,en;q=0.8", "es"),
        ("es", "es"),
        ("en;q=0.5, es;q=0.9", "es"),
        ("fr-FR,fr;q=0.9", "en"),
        ("es;q=0, en", "en"),
        ("", "en"),
        (None, "en"),
        ("*", "en"),
        ("es;q=nonsense", "en"),
    ],
)
def test_the_language_is_negotiated_from_accept_language(header: str | None, locale: str) -> None:
    assert i18n.negotiate(header) == locale


def test_a_page_in_spanish(client: TestClient) -> None:
    page = client.get("/auth/sign_in", headers={"Accept-Language": "es-ES,es;q=0.9"})
    assert page.status_code == 200
    assert '<html lang="es">' in page.text
    assert page.headers["content-language"] == "es"
    assert "Accept-Language" in page.headers["vary"]
    assert "<h1>Iniciar sesión</h1>" in page.text
    assert "Correo electrónico" in page.text
    assert "Saltar al contenido principal" in page.text


def test_english_by_default(client: TestClient) -> None:
    page = client.get("/auth/sign_in")
    assert '<html lang="en">' in page.text
    assert "<h1>Sign in</h1>" in page.text


def test_an_error_from_a_handler_is_shown_in_spanish(client: TestClient) -> None:
    spanish = {"Accept-Language": "es"}
    form = form_with_button(client.get("/auth/sign_in", headers=spanish).text, "Iniciar sesión")
    answer = client.post(
        "/auth/sign_in",
        headers=spanish,
        data={**form.fields, "email": "nobody@example.org", "password": "wrong"},
    )
    assert answer.status_code == 422
    assert "La dirección de correo o la contraseña no son correctas." in answer.text


def test_service_messages_are_shown_in_spanish_with_their_values(client: TestClient) -> None:
    spanish = {"Accept-Language": "es"}
    form = form_with_button(client.get("/auth/sign_up", headers=spanish).text, "Crear cuenta")
    answer = client.post(
        "/auth/sign_up",
        headers=spanish,
        data={
            **form.fields,
            "username": "new person",  # not a valid username
            "email": "newbie@example.org",
            "password": "short",
            "password_confirmation": "short",
        },
    )
    assert answer.status_code == 422
    assert "La contraseña es demasiado corta (mínimo 8 caracteres)" in answer.text
    assert "El nombre de usuario debe tener de 1 a 30 letras" in answer.text
    assert "Password is too short" not in answer.text


def test_a_marked_message_translates_by_its_id_and_escapes_its_values() -> None:
    from markupsafe import Markup

    from staffroom.messages import T_

    message = T_("Search terms are too long (at most %(count)s characters)", count="<b>9</b>")
    assert message == "Search terms are too long (at most <b>9</b> characters)"  # the API's
    i18n.activate("es")
    try:
        assert (
            i18n.gettext(message)
            == "La búsqueda es demasiado larga (como máximo <b>9</b> caracteres)"
        )
        shown = i18n.gettext_markup(message)
        assert isinstance(shown, Markup) and "&lt;b&gt;9&lt;/b&gt;" in shown
    finally:
        i18n.activate("en")


def _source_messages() -> set[str]:
    method_map = [
        ("**/templates/**.html", "jinja2"),
        ("**.py", "python"),
    ]
    options_map = {"**/templates/**.html": {"extensions": "jinja2.ext.i18n", "trimmed": "true"}}
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None, "T_": None}
    found = set()
    for folder in ("web", "services", "media"):  # these mark the messages pages show
        for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT / "staffroom" / folder, method_map, options_map, keywords=keywords
        ):
            found.add(message if isinstance(message, str) else message[0])
    return found


def test_the_spanish_catalog_translates_every_page_string_and_nothing_stale() -> None:
    with SPANISH.open("rb") as po:
        catalog = read_po(po, locale="es")
    # Plural entries are keyed by their singular, as the extraction reports them.
    translated = {(m.id if isinstance(m.id, str) else m.id[0]): m.string for m in catalog if m.id}
    plural_ids = {m.id[0]: m.id for m in catalog if isinstance(m.id, tuple)}
    sources = _source_messages()
    assert sources, "no page strings were found: the extraction is broken"
    assert sorted(sources - set(translated)) == [], "page strings missing from es"
    assert sorted(set(translated) - sources) == [], "es has strings no page uses"
    untranslated = [
        msgid
        for msgid, text in translated.items()
        if not text or (isinstance(text, tuple) and not all(text))
    ]
    assert untranslated == []
    placeholders = re.compile(r"%\(\w+\)s")
    for msgid, text in translated.items():
        if isinstance(text, tuple):  # every form names what the plural names
            wanted = sorted(set(placeholders.findall(plural_ids[msgid][1])))
            assert len(text) == 3, msgid  # Spanish: one, many (millions), other
            for form in text:
                assert sorted(set(placeholders.findall(form))) == wanted, (msgid, form)
        else:
            assert sorted(placeholders.findall(msgid)) == sorted(placeholders.findall(str(text))), (
                msgid
            )


def test_the_composers_error_is_in_spanish(client: TestClient, make_user: MakeUser) -> None:
    alice = make_user("alice")
    sign_in(client, alice.email, alice.password)
    spanish = {"Accept-Language": "es"}
    form = form_with_button(client.get("/", headers=spanish).text, "Publicar")
    answer = client.post(
        "/web/statuses", headers=spanish, data={**form.fields, "status": "x" * 141}
    )
    assert answer.status_code == 422
    assert "Se superó el límite de 140 caracteres (esta publicación tiene 141)" in answer.text
