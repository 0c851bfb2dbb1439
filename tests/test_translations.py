"""Every Dutch translation is filled in, and the compiled catalogue matches the source (.po)."""

import ast
import gettext
import re
from pathlib import Path

LOCALE = Path(__file__).resolve().parent.parent / "locale" / "nl" / "LC_MESSAGES"
ENTRY = re.compile(r'^(?:msgctxt ((?:".*"\n)+))?msgid ((?:".*"\n)+)msgstr ((?:".*"\n)+)', re.MULTILINE)


def po_entries() -> dict[tuple[str, str], str]:
    """{(context, msgid): msgstr} of the singular entries ("" when an entry has no context)."""
    text = (LOCALE / "django.po").read_text()
    join = lambda block: "".join(ast.literal_eval(line) for line in (block or "").strip().splitlines())  # noqa: E731
    return {(join(context), join(msgid)): join(msgstr) for context, msgid, msgstr in ENTRY.findall(text) if join(msgid)}


def test_every_message_has_a_dutch_translation():
    entries = po_entries()
    assert len(entries) > 100
    untranslated = [msgid for msgid, msgstr in entries.items() if not msgstr]
    assert untranslated == []


def test_the_compiled_catalogue_is_up_to_date_with_the_source():
    with (LOCALE / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = [
        key
        for key, msgstr in po_entries().items()
        if (compiled.pgettext(*key) if key[0] else compiled.gettext(key[1])) != msgstr
    ]
    assert stale == [], "run: manage.py compilemessages -l nl"
