"""Fault switches for drills: make a simulator of an outside system go down, slow or erroneous.

The switches live in PostgreSQL (the one truth, shared by web and workers); each process keeps a
copy for at most ``FAULT_SWITCH_CACHE_SECONDS`` (0.5 s by default), so every process sees a change
within a second. ``python manage.py fault set jds down`` / ``fault clear jds``.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.db import DatabaseError, models, transaction
from django.utils.translation import gettext_lazy as _

from .adapters import OutsideSystemError, OutsideSystemUnavailable
from .audit import Actor, audit_record
from .models import AuditAction, FaultSwitch


class System(models.TextChoices):
    JDS = "jds", _("justice records system (JDS)")
    BRP = "brp", _("population register (BRP)")
    PAYMENT = "payment", _("payment provider")
    MAIL = "mail", _("e-mail")
    SMS = "sms", _("SMS")
    BERICHTENBOX = "berichtenbox", _("message box (Berichtenbox)")
    DIGID = "digid", _("DigiD")
    EHERKENNING = "eherkenning", _("eHerkenning")


class Mode(models.TextChoices):
    DOWN = "down", _("down: does not answer")
    SLOW = "slow", _("slow: answers late")
    ERRORS = "errors", _("errors: answers with server errors")


_cache: dict = {"read_at": float("-inf"), "switches": {}}


def _switches() -> dict[str, str]:
    now = time.monotonic()
    if now - _cache["read_at"] >= settings.FAULT_SWITCH_CACHE_SECONDS:
        try:
            _cache["switches"] = dict(FaultSwitch.objects.values_list("system", "mode"))
        except DatabaseError:
            pass  # keep the last known switches; the database outage shows up elsewhere
        _cache["read_at"] = now
    return _cache["switches"]


def fault_mode(system: str) -> str | None:
    return _switches().get(system)


def active_faults() -> dict[str, str]:
    return dict(_switches())


def forget_cached_faults() -> None:
    _cache["read_at"] = float("-inf")


@transaction.atomic
def fault_set(*, system: str, mode: str, actor: Actor) -> None:
    if system not in System.values:
        raise ValueError(f"unknown system {system!r}; choose from {', '.join(System.values)}")
    if mode not in Mode.values:
        raise ValueError(f"unknown mode {mode!r}; choose from {', '.join(Mode.values)}")
    FaultSwitch.objects.update_or_create(system=system, defaults={"mode": mode, "set_by": actor.label})
    audit_record(
        actor=actor, action=AuditAction.FAULT_SET, subject_type="system", subject_id=system, data={"mode": mode}
    )
    forget_cached_faults()  # this process reads the change at once (same transaction)
    transaction.on_commit(forget_cached_faults)


@transaction.atomic
def fault_clear(*, system: str, actor: Actor) -> bool:
    if system not in System.values:
        raise ValueError(f"unknown system {system!r}; choose from {', '.join(System.values)}")
    deleted, _ = FaultSwitch.objects.filter(system=system).delete()
    if deleted:
        audit_record(actor=actor, action=AuditAction.FAULT_CLEARED, subject_type="system", subject_id=system)
    forget_cached_faults()  # this process reads the change at once (same transaction)
    transaction.on_commit(forget_cached_faults)
    return bool(deleted)


def _count_faulted_call(system: str) -> None:
    """Count a call that reached a simulator while its switch was on (Redis; drills read it)."""
    from django.core.cache import cache

    try:
        cache.incr(f"faulted_calls:{system}")
    except ValueError:
        cache.add(f"faulted_calls:{system}", 0, timeout=24 * 3600)
        try:
            cache.incr(f"faulted_calls:{system}")
        except Exception:  # noqa: BLE001,S110 - a counter for drills never breaks the call
            pass
    except Exception:  # noqa: BLE001,S110
        pass


def faulted_calls(system: str) -> int:
    """How many calls reached the simulator of ``system`` while a fault switch was on (0 if unknown)."""
    from django.core.cache import cache

    try:
        return int(cache.get(f"faulted_calls:{system}") or 0)
    except Exception:  # noqa: BLE001
        return 0


def simulate_faults(system: str, *, timeout: float | None = None) -> None:
    """Called by a simulator before it answers: behave as the switch for ``system`` says.

    ``slow`` waits ``FAULT_SLOW_SECONDS``; when that is longer than the caller's timeout, the call
    times out after the timeout, as a real client would. A call that meets a switch is counted
    (``faulted_calls``), so a drill can see whether the circuit breaker stopped the hammering.
    """
    mode = fault_mode(system)
    if mode:
        _count_faulted_call(system)
    if mode == Mode.DOWN:
        raise OutsideSystemUnavailable(system, "connection refused (fault switch: down)")
    if mode == Mode.ERRORS:
        raise OutsideSystemError(system, "HTTP 503 from the system (fault switch: errors)")
    if mode == Mode.SLOW:
        delay = settings.FAULT_SLOW_SECONDS
        if timeout is not None and delay > timeout:
            time.sleep(timeout)
            raise OutsideSystemUnavailable(system, f"timed out after {timeout:g} s (fault switch: slow)")
        time.sleep(delay)
