"""Which wording a message gets, and whether a wording an administrator wrote may be used.

A message is worded by the ``MessageTemplate`` version of its event and channel that is valid on the day the
message was written (its ``created_at``, in Europe/Amsterdam), so a message written before a new version's
start keeps the old wording even when it is delivered (again) later. Without such a version the files in
``templates/notifications/`` are used, as before (``services.outbox_render``, ``channels.sms_render``).

Delivery renders thousands of messages in batches, so the versions are not looked up per message: every
process keeps all versions (a small table) for ``CACHE_SECONDS`` and forgets them when one is saved in that
process; another process sees a change within ``CACHE_SECONDS``.

A wording is a Django template with the same names as the files. ``template_problems`` is the check at the
edge: it compiles the text, refuses tags that reach outside it and renders it for the event's samples.
"""

from __future__ import annotations

import re
import time
from datetime import date

from django.template import Context, Engine, TemplateSyntaxError
from django.template.base import Lexer, TokenType
from django.utils import timezone
from django.utils.translation import gettext as _

# The one tag library the file templates load; nothing else can be loaded by a wording.
LIBRARIES = {"message_dates": "notifications.templatetags.message_dates"}
FORBIDDEN_TAGS = frozenset({"extends", "include", "debug", "ssi"})
CACHE_SECONDS = 60

# What a wording may read of the records in its context: what the files use. The rest of a record (the BSN,
# the assessment, related rows) stays out of messages. The payload is the message's own data and free.
READABLE = {
    "application": frozenset(
        {"reference", "type", "organisation_name", "position", "get_type_display", "get_status_display"}
    ),
    "invitation": frozenset(
        {"given_names", "surname", "code", "expires_at", "sent_at", "is_free", "fee_cents", "delivery"}
    ),
    "applicant": frozenset({"given_names", "surname_prefix", "surname"}),
    "message": frozenset({"event", "created_at"}),
}
_RECORD = re.compile(r"(?<![\w.])(" + "|".join(READABLE) + r")\b(?:\.(\w+))?")
_QUOTED = re.compile(r"\"[^\"]*\"|'[^']*'")

_engine = Engine(libraries=LIBRARIES)
_checking_engine = Engine(libraries=LIBRARIES, debug=True)  # errors with their line
_cache: dict = {"loaded": None, "versions": {}, "compiled": {}}


def forget_templates(**kwargs) -> None:
    """Drop this process's copy of the versions (a version was saved)."""
    _cache.update(loaded=None, versions={}, compiled={})


def _versions() -> dict:
    now = time.monotonic()
    if _cache["loaded"] is None or now - _cache["loaded"] > CACHE_SECONDS:
        from .models import MessageTemplate

        versions: dict[tuple[str, str], list] = {}
        for version in MessageTemplate.objects.order_by("valid_from"):
            versions.setdefault((version.event, version.channel), []).append(version)
        _cache.update(loaded=now, versions=versions, compiled={})
    return _cache["versions"]


def message_day(message) -> date:
    """The day ``message`` was written, in Europe/Amsterdam (today for a message not written yet)."""
    return timezone.localdate(message.created_at or timezone.now(), timezone.get_default_timezone())


def template_in_force(event: str, channel: str, day: date):
    """The ``MessageTemplate`` of ``event`` and ``channel`` valid on ``day``, or None (the files apply)."""
    for version in _versions().get((event, channel), ()):
        if version.valid_from <= day and (version.valid_to is None or day <= version.valid_to):
            return version
    return None


def templates_of(event: str, channel: str) -> list:
    """Every version of ``event`` and ``channel``, oldest first."""
    return list(_versions().get((event, channel), ()))


def render_text(text: str, context: dict) -> str:
    """``text`` (a saved wording's subject or body) rendered with ``context``; compiled once per process."""
    template = _cache["compiled"].get(text)
    if template is None:
        template = _cache["compiled"][text] = _engine.from_string(text)
    return template.render(Context(context))


def file_text(event: str, channel: str) -> tuple[str, str]:
    """The subject and body in the files for ``event`` (or ``_default`` when it has none), as written."""
    from django.template.loader import TemplateDoesNotExist, get_template

    from .models import DEFAULT_TEMPLATE, TemplateChannel

    for name in (event, DEFAULT_TEMPLATE):
        try:
            if channel == TemplateChannel.SMS:
                return "", get_template(f"notifications/sms/{name}.txt").template.source
            subject = get_template(f"notifications/email/{name}.subject.txt").template.source
            body = get_template(f"notifications/email/{name}.body.txt").template.source
        except TemplateDoesNotExist:
            continue
        return subject, body
    return "", ""


# --- The check at the edge ------------------------------------------------------------------------


def _record_problem(token) -> str:
    for match in _RECORD.finditer(_QUOTED.sub('""', token.contents)):
        root, attribute = match.groups()
        if attribute not in READABLE[root]:
            return _("Line %(line)s: %(name)s cannot be used in a message template; of %(root)s only: %(allowed)s.") % {
                "line": token.lineno,
                "name": f"{root}.{attribute}" if attribute else root,
                "root": root,
                "allowed": ", ".join(sorted(READABLE[root])),
            }
    return ""


def _forbidden_tag(text: str) -> str:
    allowed = ", ".join(f"{{% load {name} %}}" for name in LIBRARIES)
    for token in Lexer(text).tokenize():
        if token.token_type not in (TokenType.BLOCK, TokenType.VAR):
            continue
        problem = _record_problem(token)
        if problem:
            return problem
        if token.token_type != TokenType.BLOCK:
            continue
        bits = token.split_contents()
        if not bits:
            continue
        if bits[0] in FORBIDDEN_TAGS:
            return _("Line %(line)s: %(tag)s is not allowed in a message template.") % {
                "line": token.lineno,
                "tag": f"{{% {bits[0]} %}}",
            }
        if bits[0] == "load":
            names = [bits[-1]] if len(bits) >= 4 and bits[-2] == "from" else bits[1:]
            for name in names:
                if name not in LIBRARIES:
                    return _("Line %(line)s: only %(allowed)s can be used, not %(tag)s.") % {
                        "line": token.lineno,
                        "allowed": allowed,
                        "tag": f"{{% load {name} %}}",
                    }
    return ""


def _line(exc: Exception) -> int | None:
    debug = getattr(exc, "template_debug", None)
    return debug.get("line") if debug else None


def _syntax_problem(exc: Exception) -> str:
    line = _line(exc)
    if line is None:
        return _("The text is not a valid template: %(problem)s") % {"problem": exc}
    return _("Line %(line)s: %(problem)s") % {"line": line, "problem": exc}


def _render_problem(exc: Exception, sample: str) -> str:
    values = {"line": _line(exc) or "?", "sample": sample, "problem": f"{type(exc).__name__}: {exc}"}
    return _("Line %(line)s: the text cannot be rendered for the sample message %(sample)s: %(problem)s") % values


def template_problems(version) -> dict[str, list[str]]:
    """What is wrong with the subject and body of ``version`` (a ``MessageTemplate``), per field; {} if nothing.

    The texts must compile, may not use ``{% extends %}``, ``{% include %}``, ``{% debug %}`` or load any
    library but ``message_dates``, may read of the records only what ``READABLE`` lists, and must render
    without error for every sample message of the event.
    An e-mail needs a subject, an SMS has none and is only written for the events that go out by SMS.
    """
    from .channels import SMS_EVENTS, sms_context
    from .messages import sample_messages, sample_variant
    from .models import DEFAULT_TEMPLATE, TemplateChannel, template_event_choices
    from .services import outbox_context

    errors: dict[str, list[str]] = {}
    events = {name for name, _label in template_event_choices()}
    event_known = version.event in events
    if version.channel == TemplateChannel.SMS:
        fields = ("body",)
        if version.subject.strip():
            errors["subject"] = [_("An SMS has no subject: leave this field empty.")]
        if event_known and version.event not in SMS_EVENTS | {DEFAULT_TEMPLATE}:
            errors["event"] = [
                _("This event does not go out by SMS. Events with an SMS: %(events)s.")
                % {"events": ", ".join(sorted(SMS_EVENTS | {DEFAULT_TEMPLATE}))}
            ]
    elif version.channel == TemplateChannel.EMAIL:
        fields = ("subject", "body")
        if not version.subject.strip():
            errors["subject"] = [_("An e-mail needs a subject.")]
    else:
        return errors
    compiled = {}
    for field in fields:
        text = getattr(version, field) or ""
        if field in errors or not text.strip():
            continue
        problem = _forbidden_tag(text)
        if problem:
            errors[field] = [problem]
            continue
        try:
            compiled[field] = _checking_engine.from_string(text)
        except TemplateSyntaxError as exc:
            errors[field] = [_syntax_problem(exc)]
    if not compiled or not event_known or "event" in errors:
        return errors
    for message in sample_messages(version.event):
        context = sms_context(message) if version.channel == TemplateChannel.SMS else outbox_context(message)
        for field, template in compiled.items():
            if field in errors:
                continue
            try:
                template.render(Context(context))
            except Exception as exc:  # any failure of an administrator's text is reported
                errors[field] = [_render_problem(exc, sample_variant(message) or version.event)]
    return errors
