"""The snapshot of the service status: what the status page, /status.json and the banner show.

Every change to an incident rewrites it (after commit) in Redis and in a file
(``settings.STATUS_SNAPSHOT_FILE``). Readers take Redis first, then the file, and never the database,
so the page keeps answering while PostgreSQL (or Redis) is down.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from .models import STATE_RANK, ChannelState, Incident, ServiceChannel

logger = logging.getLogger(__name__)

CACHE_KEY = "servicestatus:snapshot"
SNAPSHOT_VERSION = 1
HISTORY_DAYS = 7


def _iso(moment):
    return moment.isoformat() if moment else None


def _incident_data(incident: Incident) -> dict:
    return {
        "id": incident.pk,
        "title_nl": incident.title_nl,
        "title_en": incident.title_en,
        "text_nl": incident.text_nl,
        "text_en": incident.text_en,
        "started_at": _iso(incident.started_at),
        "expected_end_at": _iso(incident.expected_end_at),
        "resolved_at": _iso(incident.resolved_at),
        "channels": [{"channel": c.channel, "state": c.state} for c in incident.channels.all()],
        "updates": [{"at": _iso(u.at), "text_nl": u.text_nl, "text_en": u.text_en} for u in incident.updates.all()],
    }


def snapshot_build(*, now=None) -> dict:
    """The status as the database says now: open incidents and those resolved in the last week."""
    now = now or timezone.now()
    incidents = Incident.objects.prefetch_related("channels", "updates")
    open_incidents = [_incident_data(i) for i in incidents.filter(resolved_at__isnull=True)]
    resolved = [
        _incident_data(i)
        for i in incidents.filter(resolved_at__gte=now - timedelta(days=HISTORY_DAYS)).order_by("-resolved_at")
    ]
    return {
        "version": SNAPSHOT_VERSION,
        "generated_at": _iso(now),
        "channels": channel_states(open_incidents),
        "open_incidents": open_incidents,
        "resolved_incidents": resolved,
    }


def channel_states(open_incidents: list[dict]) -> dict[str, str]:
    """Per channel the worst state of the open incidents that affect it (operational when none does)."""
    states = {channel.value: ChannelState.OPERATIONAL.value for channel in ServiceChannel}
    for incident in open_incidents:
        for affected in incident["channels"]:
            current = states.get(affected["channel"], ChannelState.OPERATIONAL.value)
            if STATE_RANK.get(affected["state"], 0) > STATE_RANK.get(current, 0):
                states[affected["channel"]] = affected["state"]
    return states


def snapshot_path() -> Path:
    return Path(settings.STATUS_SNAPSHOT_FILE)


def snapshot_write(data: dict) -> dict[str, bool]:
    """Store the snapshot in Redis and in the file. Returns which of the two succeeded (both are tried)."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    written = {"redis": False, "file": False}
    try:
        cache.set(CACHE_KEY, text, timeout=None)
        written["redis"] = True
    except Exception as exc:  # noqa: BLE001 - Redis down: the file still carries the status
        logger.warning("status snapshot not written to Redis: %s", exc)
    path = snapshot_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".status-", suffix=".json")
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        os.replace(temporary, path)  # readers see the old or the new file, never half of one
        written["file"] = True
    except OSError as exc:
        logger.error("status snapshot not written to %s: %s", path, exc)
    return written


def snapshot_refresh() -> dict[str, bool]:
    return snapshot_write(snapshot_build())


def _parse(text) -> dict | None:
    try:
        data = json.loads(text)
    except (TypeError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("version") == SNAPSHOT_VERSION else None


def snapshot_read() -> dict | None:
    """The last snapshot: from Redis, else from the file; None when neither has one."""
    try:
        data = _parse(cache.get(CACHE_KEY))
    except Exception as exc:  # noqa: BLE001 - Redis down: read the file
        logger.warning("status snapshot not readable from Redis: %s", exc)
        data = None
    if data is not None:
        return data
    try:
        return _parse(snapshot_path().read_text(encoding="utf-8"))
    except OSError:
        return None


def _label(choices, value) -> str:
    """The label of a channel or state; the code itself for one this version does not know."""
    try:
        return choices(value).label
    except ValueError:
        return str(value)


def _localised(incident: dict, language: str) -> dict:
    english = language == "en"
    return {
        "id": incident["id"],
        "title": incident["title_en" if english else "title_nl"],
        "text": incident["text_en" if english else "text_nl"],
        "started_at": parse_datetime(incident["started_at"]) if incident["started_at"] else None,
        "expected_end_at": parse_datetime(incident["expected_end_at"]) if incident["expected_end_at"] else None,
        "resolved_at": parse_datetime(incident["resolved_at"]) if incident["resolved_at"] else None,
        "channels": [
            {
                "code": c["channel"],
                "label": _label(ServiceChannel, c["channel"]),
                "state": c["state"],
                "state_label": _label(ChannelState, c["state"]),
            }
            for c in incident["channels"]
        ],
        "updates": [
            {"at": parse_datetime(u["at"]), "text": u["text_en" if english else "text_nl"]} for u in incident["updates"]
        ],
    }


def status_for_display(data: dict | None, language: str, *, now=None) -> dict:
    """What the page and the banner show, in the reader's language, from a snapshot (or none)."""
    now = now or timezone.now()
    data = data or {}
    states = data.get("channels") or {}
    channels = [
        {
            "code": channel.value,
            "label": channel.label,
            "state": states.get(channel.value, ChannelState.OPERATIONAL.value),
            "state_label": _label(ChannelState, states.get(channel.value, ChannelState.OPERATIONAL.value)),
        }
        for channel in ServiceChannel
    ]
    since = now - timedelta(days=HISTORY_DAYS)
    resolved = [_localised(i, language) for i in data.get("resolved_incidents", [])]
    return {
        "known": bool(data),
        "generated_at": parse_datetime(data["generated_at"]) if data.get("generated_at") else None,
        "channels": channels,
        "open_incidents": [_localised(i, language) for i in data.get("open_incidents", [])],
        "resolved_incidents": [i for i in resolved if i["resolved_at"] and i["resolved_at"] >= since],
    }
