"""What a browser submits from a page's form: inputs (checked boxes only), textareas and
selected options, repeated names kept, file fields left to the test."""

from __future__ import annotations

from html.parser import HTMLParser


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, dict[str, list[str]], list[str]]] = []
        self._textarea: str | None = None
        self._select: str | None = None
        self._button = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append((a.get("action", ""), {}, []))
            return
        if not self.forms:
            return
        fields = self.forms[-1][1]
        name = a.get("name", "")
        kind = a.get("type", "text")
        if tag == "input" and name and kind not in ("file", "submit"):
            if kind not in ("checkbox", "radio") or "checked" in a:
                fields.setdefault(name, []).append(a.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            fields.setdefault(name, []).append("")
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            fields[self._select] = [a.get("value", "")]
        elif tag == "button":
            self._button = True

    def handle_data(self, data: str) -> None:
        if self._textarea and self.forms:
            self.forms[-1][1][self._textarea][-1] += data
        if self._button and self.forms and data.strip():
            self.forms[-1][2].append(data.strip())

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "button":
            self._button = False


def submitted(html: str, button: str) -> tuple[str, dict[str, list[str]]]:
    """(action, fields) of the form holding the button labelled ``button``."""
    parser = _Forms()
    parser.feed(html)
    for action, fields, buttons in parser.forms:
        if button in buttons:
            return action, fields
    raise AssertionError(f"no form with a {button!r} button")
