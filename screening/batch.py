"""Assessing the backlog in batches: many applications per task, the same decisions as one by one.

After an outage thousands of applications wait in ``received``. One task per application costs a
Celery message, a transaction and a dozen statements each, and tops out at a few hundred a second on
two cores. ``assessment_batch`` claims up to ``ASSESSMENT_BATCH_SIZE`` waiting applications in one
transaction (``FOR UPDATE SKIP LOCKED``, so concurrent batches never take the same row), fewest days to
the decision date first, reads the justice records of all of them in one call, applies the same
pre-assessment (``screening.rules``) and writes the outcome with a few inserts
(``lifecycle.applications_transition_many``). The decision rules, the status history, the audit
entries, the deadline events and the outbox messages are the same as those of ``assessment_run``.

Applications that need more than the pre-assessment of one person (a VOG RP or GVA, no BSN, personal
data still to check against the population register) go through ``assessment_run`` inside the batch,
each in its own savepoint: an unexpected error there sets that one application aside for the sweeper
and the rest of the batch goes on. Deciding twice is impossible by constraint: one ``Assessment`` and
one ``Certificate`` per application (one-to-one), and status updates guarded by the expected status.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from applications.lifecycle import AWAITING_TASK, Status, applications_transition_many
from applications.models import Application, ApplicationType, IdentityVerification
from justis.adapters import OutsideSystemUnavailable
from justis.memo import batch_memo
from justis.models import AuditAction, AuditEvent
from justis.queue import publish_many_on_commit

from .jds import jds_client
from .models import Assessment, AssessmentOutcome
from .workbench.sectors import legal_obligation_sector

logger = logging.getLogger(__name__)

URGENT_QUEUE = "urgent"
ORDINARY_QUEUE = "assessment"


def assessment_queue(application) -> str:
    """The queue of an application's assessment: urgent requests and sectors with a legal VOG obligation
    (childcare, education, taxi, youth care, care) go before the rest, so a backlog never starves them."""
    if application.urgent_reason or application.decision_procedure == "urgent":
        return URGENT_QUEUE
    sector = legal_obligation_sector(
        screening_profile=application.screening_profile, functieaspecten=application.functieaspecten
    )
    return URGENT_QUEUE if sector else ORDINARY_QUEUE


@dataclass
class BatchResult:
    claimed: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)

    def count(self, outcome: str, number: int = 1) -> None:
        if number:
            self.outcomes[outcome] = self.outcomes.get(outcome, 0) + number

    def as_dict(self) -> dict:
        return {"claimed": self.claimed, **self.outcomes}


def _waiting(now):
    """Waiting for an assessment and due: never tried, or its retry time has come."""
    return Q(status__in=AWAITING_TASK) & (
        Q(assessment_attempts=0) | Q(next_attempt_at__lte=now) | Q(next_attempt_at__isnull=True)
    )


def waiting_count(now=None, *, limit: int | None = None) -> int:
    """How many applications wait for an assessment and are due (counted up to ``limit``)."""
    waiting = Application.objects.filter(_waiting(now or timezone.now()))
    if limit is not None:
        waiting = waiting[:limit]
    return waiting.count()


HEARTBEAT_KEY = "screening:assessment-batch:heartbeat"


def batch_heartbeat() -> None:
    """A batch ran just now: the sweeper need not start new chains (they would only compete)."""
    try:
        cache.set(HEARTBEAT_KEY, timezone.now().isoformat(), timeout=settings.SWEEP_INTERVAL_SECONDS * 2)
    except Exception:  # noqa: BLE001 - the cache is a hint; without it the sweeper starts chains as usual
        logger.warning("cache unavailable: batch heartbeat not recorded")


def batch_chains_start() -> int:
    """Start ``ASSESSMENT_BATCH_CHAINS`` chains of batches after commit, unless batches are running."""
    from .tasks import assess_batch

    try:
        running = cache.get(HEARTBEAT_KEY) is not None
    except Exception:  # noqa: BLE001 - cache down: start chains (SKIP LOCKED keeps them apart)
        running = False
    if running:
        return 0
    chains = settings.ASSESSMENT_BATCH_CHAINS
    publish_many_on_commit(assess_batch, ([] for _ in range(chains)))
    return chains


def _single_person(application) -> bool:
    """Whether the batch's own path applies: a VOG NP of a person with a BSN, personal data settled."""
    applicant = getattr(application, "applicant", None)
    return (
        application.type == ApplicationType.VOG_NP
        and applicant is not None
        and bool(applicant.bsn)
        and application.identity_verification != IdentityVerification.PENDING
    )


def assessment_batch(*, size: int | None = None) -> dict:
    """Assess up to ``size`` waiting applications in one transaction. Returns the counts per outcome."""
    size = size or settings.ASSESSMENT_BATCH_SIZE
    now = timezone.now()
    result = BatchResult()
    with batch_memo(), transaction.atomic():
        applications = list(
            Application.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("applicant", "legal_entity")
            .filter(_waiting(now))
            .order_by("decision_due_date", "pk")[:size]
        )
        result.claimed = len(applications)
        if not applications:
            return result.as_dict()
        batch_heartbeat()
        Application.objects.filter(pk__in=[a.pk for a in applications]).update(
            assessment_attempts=F("assessment_attempts") + 1
        )
        own, others = [], []
        for application in applications:
            (own if _single_person(application) else others).append(application)
        for application in others:
            result.count(_one_by_one(application))
        if own:
            _assess_persons(own, result, now)
    return result.as_dict()


def _one_by_one(application) -> str:
    """``assessment_run`` for one application, in a savepoint; an unexpected error leaves it to the sweeper."""
    from .services import assessment_run

    try:
        with transaction.atomic():
            return assessment_run(application_id=application.pk, attempt_counted=True)
    except Exception:
        logger.exception("assessment of %s failed in a batch; the sweeper tries again", application.reference)
        Application.objects.filter(pk=application.pk).update(
            next_attempt_at=timezone.now() + settings.ASSESSMENT_STALE_AFTER
        )
        return "failed"


def _assess_persons(applications: list, result: BatchResult, now) -> None:
    from .services import (
        ASSESSMENT_ACTOR,
        assessment_reason,
        certificate_new,
        certificates_create,
        justice_read_audit,
        person_assessment,
        person_pre_assessment,
        wait_for_many,
    )

    try:
        found = jds_client().records_for_many([a.applicant.bsn for a in applications])
    except OutsideSystemUnavailable as exc:
        wait_for_many(applications, exc, AuditAction.JUSTICE_DATA_UNAVAILABLE)
        result.count("waiting", len(applications))
        return
    starting = [(a, Status.IN_ASSESSMENT, "") for a in applications if a.status == Status.RECEIVED]
    applications_transition_many(starting, actor=ASSESSMENT_ACTOR, now=now)
    reads, assessments, decisions, certificates, set_aside = [], [], [], [], []
    for application in applications:
        records = found.get(application.applicant.bsn, [])
        try:
            outcome = person_pre_assessment(application, records)
            granted = outcome.outcome == AssessmentOutcome.AUTO_GRANT
            certificate = certificate_new(application, now) if granted else None
        except Exception:  # noqa: BLE001 - one bad application must not stop the batch: it goes one by one
            logger.exception("pre-assessment of %s failed in a batch", application.reference)
            set_aside.append(application)
            continue
        reads.append(justice_read_audit(application, records))
        assessments.append(person_assessment(application, outcome, records))
        target = Status.ISSUED if granted else Status.IN_REVIEW
        decisions.append((application, target, assessment_reason(outcome, records)))
        if certificate is not None:
            certificates.append(certificate)
    AuditEvent.objects.bulk_create(reads)
    Assessment.objects.bulk_create(assessments)
    applications_transition_many(decisions, actor=ASSESSMENT_ACTOR, now=now)
    certificates_create(certificates)
    result.count("issued", len(certificates))
    result.count("in_review", len(decisions) - len(certificates))
    for application in set_aside:
        result.count(_one_by_one(application))
