"""Refresh the page-string catalogs: extract the template, merge it into every locale.

    .venv/bin/python scripts/update_translations.py            # extract and merge
    .venv/bin/python scripts/update_translations.py --check    # list untranslated strings
    .venv/bin/python scripts/update_translations.py --fill es new.json   # {"msgid": "msgstr"}

New strings arrive untranslated (an empty ``msgstr``) and strings no page uses any more are
dropped; the catalog's header (plural forms) is kept. ``tests/web/test_i18n.py`` fails
while any string is untranslated.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
LOCALES = ROOT / "staffroom" / "web" / "locales"
TEMPLATE = LOCALES / "messages.pot"


def extract() -> Catalog:
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
         "-k", "N_", "-k", "T_", "--no-location", "--omit-header", "-o", str(TEMPLATE), "."],
        cwd=ROOT, check=True, capture_output=True,
    )
    with TEMPLATE.open("rb") as f:
        return read_po(f)


def merge(template: Catalog, po_path: Path) -> list[str]:
    with po_path.open("rb") as f:
        catalog = read_po(f)
    catalog.update(template, no_fuzzy_matching=True, update_header_comment=False)
    catalog.obsolete.clear()
    with po_path.open("wb") as f:
        write_po(f, catalog, no_location=True, width=100)
    return [str(m.id) for m in catalog if untranslated(m)]


def untranslated(message: Message) -> bool:
    """A message with no translation, or a plural entry with any form left empty."""
    if not message.id:
        return False
    forms = message.string if isinstance(message.string, tuple) else (message.string,)
    return not all(forms)


def fill(locale: str, json_path: Path) -> None:
    """Set translations from a JSON object ``{msgid: msgstr}`` (plurals: a list of forms)."""
    import json

    po_path = LOCALES / locale / "LC_MESSAGES" / "messages.po"
    with po_path.open("rb") as f:
        catalog = read_po(f)
    for msgid, msgstr in json.loads(json_path.read_text()).items():
        message = catalog.get(msgid)
        if message is None:  # a plural entry is keyed by its singular
            plurals = (m for m in catalog if isinstance(m.id, tuple) and m.id[0] == msgid)
            message = next(plurals, None)
        if message is None:
            print(f"{locale}: not in the catalog: {msgid!r}")
            continue
        message.string = tuple(msgstr) if isinstance(msgstr, list) else msgstr
    with po_path.open("wb") as f:
        write_po(f, catalog, no_location=True, width=100)


def main() -> int:
    if sys.argv[1:2] == ["--fill"]:
        fill(sys.argv[2], Path(sys.argv[3]))
        return 0
    check_only = "--check" in sys.argv
    template = extract()
    missing_any = False
    for po_path in sorted(LOCALES.glob("*/LC_MESSAGES/messages.po")):
        if check_only:
            with po_path.open("rb") as f:
                catalog = read_po(f)
            missing = [str(m.id) for m in catalog if untranslated(m)]
        else:
            missing = merge(template, po_path)
        for msgid in missing:
            missing_any = True
            print(f"{po_path.parts[-3]}: untranslated: {msgid!r}")
    return 1 if missing_any and check_only else 0


if __name__ == "__main__":
    sys.exit(main())
