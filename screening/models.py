from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from simple_history.models import HistoricalRecords

from justis.storage import private_storage
from justis.validity import check_validity


class Versioned(models.Model):
    """Reference data valid from one date up to and including another (or open-ended)."""

    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to (inclusive)"), null=True, blank=True)
    # Every saved state, with who, when and why (the admin's history page; justis/admin.py).
    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True

    def valid_on(self, day) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def clean(self):
        """A version of a code may not overlap another version of the same code: end that one first."""
        super().clean()
        check_validity(self, code=getattr(self, "code", None))


def _versioned_constraints(prefix: str):
    return [
        models.UniqueConstraint(fields=["code", "valid_from"], name=f"{prefix}_code_valid_from"),
        models.CheckConstraint(
            condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")), name=f"{prefix}_valid_range"
        ),
    ]


class RiskArea(models.Model):
    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    name_nl = models.CharField(_("name (Dutch)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)

    class Meta:
        verbose_name = _("risk area")
        verbose_name_plural = _("risk areas")
        ordering = ("number",)

    def __str__(self):
        return f"{self.number} {self.name_nl}"


class FunctionAspect(Versioned):
    """A functieaspect of the general screening profile, in the wording valid for its period."""

    code = models.CharField(_("code"), max_length=2)
    risk_area = models.ForeignKey(RiskArea, on_delete=models.PROTECT, related_name="function_aspects")
    text_nl = models.TextField(_("text (Dutch)"))
    text_en = models.TextField(_("text (English)"))

    class Meta:
        verbose_name = _("functieaspect")
        verbose_name_plural = _("functieaspecten")
        ordering = ("code", "valid_from")
        constraints = _versioned_constraints("function_aspect")

    def __str__(self):
        return f"{self.code} {self.text_nl}"


class SpecificProfile(Versioned):
    """A specific screening profile (specifiek screeningsprofiel)."""

    code = models.CharField(_("code"), max_length=2)
    name_nl = models.CharField(_("name (Dutch)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)

    class Meta:
        verbose_name = _("specific screening profile")
        verbose_name_plural = _("specific screening profiles")
        ordering = ("code", "valid_from")
        constraints = _versioned_constraints("specific_profile")

    def __str__(self):
        return f"{self.code} {self.name_nl}"


class PurposeCode(Versioned):
    code = models.CharField(_("code"), max_length=3)
    text_nl = models.CharField(_("text (Dutch)"), max_length=200)
    text_en = models.CharField(_("text (English)"), max_length=200)

    class Meta:
        verbose_name = _("purpose code")
        verbose_name_plural = _("purpose codes")
        ordering = ("code", "valid_from")
        constraints = _versioned_constraints("purpose_code")

    def __str__(self):
        return f"{self.code} {self.text_nl}"


class DisposalType(models.TextChoices):
    CONVICTION = "conviction", _("conviction by a court")
    PENAL_ORDER = "penal_order", _("penal order (strafbeschikking)")
    SETTLEMENT = "settlement", _("out-of-court settlement (transactie)")
    DISMISSAL = "dismissal", _("dismissal (sepot)")
    ACQUITTAL = "acquittal", _("acquittal")


class SimulatedJusticeRecord(models.Model):
    """A record in the justice records system simulator (JDS), kept in its own table.

    A record of a person has a BSN; a record of a legal entity (a company convicted itself) has its
    KvK number instead. Exactly one of the two is filled in.
    """

    bsn = models.CharField(max_length=9, blank=True, db_index=True)
    kvk_number = models.CharField(_("KvK number"), max_length=8, blank=True, db_index=True)
    offence_article = models.CharField(_("offence article"), max_length=100)
    offence_description = models.CharField(_("offence"), max_length=255)
    offence_category = models.CharField(_("offence category"), max_length=64)
    offence_date = models.DateField(_("offence date"))
    decision_date = models.DateField(_("decision date"))
    disposal_type = models.CharField(_("disposal"), max_length=32, choices=DisposalType.choices)
    final = models.BooleanField(_("final (onherroepelijk)"), default=True)
    sentence = models.CharField(_("sentence"), max_length=255, blank=True)
    detention_days = models.PositiveIntegerField(_("days deprived of liberty"), default=0)

    class Meta:
        verbose_name = _("simulated justice record")
        verbose_name_plural = _("simulated justice records")
        ordering = ("bsn", "kvk_number", "offence_date")
        constraints = [
            models.CheckConstraint(
                condition=(Q(bsn="") & ~Q(kvk_number="")) | (~Q(bsn="") & Q(kvk_number="")),
                name="simulated_justice_record_person_or_legal_entity",
            ),
        ]

    def __str__(self):
        return f"{self.bsn or self.kvk_number}: {self.offence_article} ({self.offence_date})"


class OffenceCategory(Versioned):
    """A category of offences for the pre-assessment (zeden, geweld, vermogen …)."""

    code = models.CharField(_("code"), max_length=32)
    name_nl = models.CharField(_("name (Dutch)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    rank = models.PositiveSmallIntegerField(_("rank"), help_text=_("The lowest rank wins when a record has several."))
    jds_categories = models.JSONField(_("JDS categories"), default=list, blank=True)

    class Meta:
        verbose_name = _("offence category")
        verbose_name_plural = _("offence categories")
        ordering = ("rank", "valid_from")
        constraints = _versioned_constraints("offence_category")

    def __str__(self):
        return self.code


class OffenceArticle(Versioned):
    """An offence article as the JDS writes it ("310 Sr") and the category it belongs to."""

    code = models.CharField(_("article"), max_length=64)
    category = models.CharField(_("offence category"), max_length=32)

    class Meta:
        verbose_name = _("offence article")
        verbose_name_plural = _("offence articles")
        ordering = ("code", "valid_from")
        constraints = _versioned_constraints("offence_article")

    def __str__(self):
        return f"{self.code} → {self.category}"


class LookBackKind(models.TextChoices):
    DEFAULT = "default", _("default period")
    YOUNG = "young", _("period for young applicants")
    CATEGORY = "category", _("period for offence categories")
    PROFILE = "profile", _("period for specific screening profiles")


class LookBackRule(Versioned):
    """A look-back period (terugkijktermijn); ``years`` empty means unlimited."""

    code = models.CharField(_("code"), max_length=32)
    kind = models.CharField(_("kind"), max_length=16, choices=LookBackKind.choices)
    years = models.PositiveSmallIntegerField(_("years"), null=True, blank=True)
    age_below = models.PositiveSmallIntegerField(_("for applicants younger than"), null=True, blank=True)
    categories = models.JSONField(_("offence categories"), default=list, blank=True)
    profile_codes = models.JSONField(_("specific screening profiles"), default=list, blank=True)

    class Meta:
        verbose_name = _("look-back period")
        verbose_name_plural = _("look-back periods")
        ordering = ("code", "valid_from")
        constraints = _versioned_constraints("look_back_rule")

    def __str__(self):
        return f"{self.code}: {self.years or '∞'}"


class RelevanceBasis(models.TextChoices):
    RISK_AREA = "risk_area", _("risk area")
    FUNCTION_ASPECT = "function_aspect", _("functieaspect")
    SPECIFIC_PROFILE = "specific_profile", _("specific screening profile")


class OffenceRelevance(Versioned):
    """Which offence categories matter for one risk area, functieaspect or specific profile."""

    code = models.CharField(_("code"), max_length=32)
    basis = models.CharField(_("basis"), max_length=16, choices=RelevanceBasis.choices)
    basis_code = models.CharField(_("basis code"), max_length=2)
    categories = models.JSONField(_("offence categories"), default=list)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("offence relevance")
        verbose_name_plural = _("offence relevance")
        ordering = ("code", "valid_from")
        constraints = _versioned_constraints("offence_relevance")

    def __str__(self):
        return self.code


class ExclusionGroundKind(models.TextChoices):
    MANDATORY = "mandatory", _("mandatory exclusion ground")
    FACULTATIVE = "facultative", _("facultative exclusion ground")


class ExclusionGround(Versioned):
    """A ground on which a company is excluded from public tenders (GVA, domain.md §6).

    A final conviction of the company or of a key person for an offence of this ground, decided within
    ``years`` before the application date, stands in the way of a GVA (a screener decides). The
    offences of a ground are offence articles (as the JDS writes them, "420bis Sr") and offence
    categories of the pre-assessment (``OffenceCategory.code``).
    """

    code = models.CharField(_("code"), max_length=32)
    kind = models.CharField(_("kind"), max_length=16, choices=ExclusionGroundKind.choices)
    name_nl = models.CharField(_("name (Dutch)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    years = models.PositiveSmallIntegerField(_("look-back period in years"))
    articles = models.JSONField(_("offence articles"), default=list, blank=True)
    categories = models.JSONField(_("offence categories"), default=list, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("exclusion ground (GVA)")
        verbose_name_plural = _("exclusion grounds (GVA)")
        ordering = ("kind", "code", "valid_from")
        constraints = _versioned_constraints("exclusion_ground")

    def __str__(self):
        return f"{self.code} ({self.kind}, {self.years} years)"


class AssessmentOutcome(models.TextChoices):
    AUTO_GRANT = "auto_grant", _("no relevant records within the look-back period: granted automatically")
    NEEDS_SCREENER = "needs_screener", _("relevant records: a screener assesses them")


class Assessment(models.Model):
    """The automatic pre-assessment of one application, with the records read from the JDS.

    One per application (a unique constraint), so a repeated task can never assess twice.
    """

    application = models.OneToOneField("applications.Application", on_delete=models.CASCADE, related_name="assessment")
    outcome = models.CharField(_("outcome"), max_length=32, choices=AssessmentOutcome.choices)
    records = models.JSONField(_("records read"), default=list, blank=True)
    # Per record (same order as ``records``): category, look-back window, relevance and explanation.
    findings = models.JSONField(_("findings"), default=list, blank=True)
    # VOG RP and GVA: who was (not) screened, per key person and the company (``screening.companies``).
    subjects = models.JSONField(_("persons and company screened"), default=list, blank=True)
    assessed_at = models.DateTimeField(_("assessed at"), default=timezone.now)

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")

    def __str__(self):
        return f"{self.application_id}: {self.outcome}"


# Named here too because migrations refer to it by this path.
_private_storage = private_storage


class Certificate(models.Model):
    """The certificate issued for one application: at most one, enforced by the database."""

    application = models.OneToOneField("applications.Application", on_delete=models.PROTECT, related_name="certificate")
    verification_code = models.CharField(_("verification code"), max_length=24, unique=True)
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    # The wording printed on the certificate, as valid on the application date.
    printed = models.JSONField(default=dict)
    # The last day a GVA is valid (issue date + GVA_VALIDITY_YEARS); empty for a VOG, which has none.
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    pdf = models.FileField(_("PDF"), storage=_private_storage, upload_to="certificates/%Y/%m/", blank=True)
    pdf_rendered_at = models.DateTimeField(null=True, blank=True)
    render_attempts = models.PositiveIntegerField(default=0)
    render_due_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        indexes = [
            models.Index(
                fields=["render_due_at"], condition=Q(pdf_rendered_at__isnull=True), name="certificate_to_render"
            ),
        ]

    def __str__(self):
        return self.verification_code


class CheckChannel(models.TextChoices):
    PAGE = "page", _("verification page")
    API = "api", _("API")


class CertificateCheck(models.Model):
    """One check of a verification code, on the public page or through the API.

    A check of a code that belongs to no certificate is kept without a certificate, only to count
    failed checks (guessing); it holds no personal data. The client's address is kept as a keyed
    hash, never as such.
    """

    certificate = models.ForeignKey(Certificate, on_delete=models.PROTECT, null=True, blank=True, related_name="checks")
    checked_at = models.DateTimeField(_("checked at"), default=timezone.now)
    channel = models.CharField(_("channel"), max_length=8, choices=CheckChannel.choices)
    client_hash = models.CharField(max_length=64)
    # The organisation as the checker gave it on the page (optional); never kept for a failed check.
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("certificate check")
        verbose_name_plural = _("certificate checks")
        indexes = [models.Index(fields=["checked_at"], name="certificate_check_at")]
        constraints = [
            models.CheckConstraint(
                condition=Q(certificate__isnull=False) | Q(organisation_name=""),
                name="certificate_check_failed_without_name",
            )
        ]

    def __str__(self):
        return f"{self.certificate_id or '-'} {self.channel} {self.checked_at:%Y-%m-%d %H:%M}"


class ZienswijzeChannel(models.TextChoices):
    DIGITAL = "digital", _("digitally, in MijnJustis")
    LETTER = "letter", _("by letter")
    PHONE = "phone", _("by phone")


ZIENSWIJZE_TEXT_MAX_LENGTH = 5000


class Zienswijze(models.Model):
    """A view (zienswijze) the applicant gives on Justis' intention to refuse.

    Several views per application are allowed while the view period runs. Given in MijnJustis now;
    screeners will register views received by letter or phone. ``submission_key`` makes a repeated
    submission of the same form (a double click, a reload) return the view already saved.
    """

    application = models.ForeignKey("applications.Application", on_delete=models.PROTECT, related_name="zienswijzen")
    channel = models.CharField(_("channel"), max_length=16, choices=ZienswijzeChannel.choices)
    text = models.TextField(_("text of the view"), max_length=ZIENSWIJZE_TEXT_MAX_LENGTH)
    attachment = models.FileField(
        _("attachment"), storage=_private_storage, upload_to="zienswijzen/%Y/%m/", max_length=255, blank=True
    )
    attachment_original_name = models.CharField(_("original file name"), max_length=255, blank=True)
    attachment_content_type = models.CharField(_("content type"), max_length=100, blank=True)
    attachment_size = models.PositiveIntegerField(_("size in bytes"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submission_key = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("view (zienswijze)")
        verbose_name_plural = _("views (zienswijzen)")
        ordering = ("submitted_at", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "submission_key"], name="zienswijze_submission_key_once_per_application"
            ),
            models.CheckConstraint(condition=~Q(text=""), name="zienswijze_text_not_empty"),
        ]

    def __str__(self):
        return f"{self.application_id}: {self.get_channel_display()} {self.submitted_at:%Y-%m-%d %H:%M}"


class CaseClaim(models.Model):
    """The screener who took up (claimed) a case from the work queue, and since when.

    At most one per application (the one-to-one makes it unique); releasing deletes it. A claim older
    than ``settings.CASE_CLAIM_HOURS`` counts as released: the case is free for anyone again.
    Changed only by ``screening.workbench.services`` (case_claim, case_release).
    """

    application = models.OneToOneField("applications.Application", on_delete=models.CASCADE, related_name="claim")
    screener = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("screener"), on_delete=models.PROTECT, related_name="case_claims"
    )
    claimed_at = models.DateTimeField(_("taken up at"), default=timezone.now)

    class Meta:
        verbose_name = _("claimed case")
        verbose_name_plural = _("claimed cases")

    def __str__(self):
        return f"{self.application_id}: {self.screener_id} since {self.claimed_at:%Y-%m-%d %H:%M}"


class ScreenerProposal(models.TextChoices):
    GRANT = "grant", _("grant the certificate")
    REFUSE = "refuse", _("refuse the certificate")


SCREENER_MOTIVATION_MIN_LENGTH = 20
SCREENER_MOTIVATION_MAX_LENGTH = 5000


class ScreenerAssessment(models.Model):
    """A screener's assessment of the justice records of one case (domain.md §3.2, steps 3 and 4).

    ``objective`` holds, per record the pre-assessment put before the screener, the answer to the
    objective criterion: would the offence, if repeated, hinder the purpose? ``motivation`` is the
    subjective weighing (belangenafweging). Written only by ``screening.workbench.services``.
    """

    application = models.ForeignKey(
        "applications.Application", on_delete=models.PROTECT, related_name="screener_assessments"
    )
    screener = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("screener"), on_delete=models.PROTECT, related_name="+"
    )
    # [{"record": index in Assessment.records, "offence_article": …, "hinders": true/false}]
    objective = models.JSONField(_("objective criterion per record"), default=list, blank=True)
    motivation = models.TextField(_("motivation"), max_length=SCREENER_MOTIVATION_MAX_LENGTH)
    outcome_proposal = models.CharField(_("proposed outcome"), max_length=16, choices=ScreenerProposal.choices)
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("screener's assessment")
        verbose_name_plural = _("screener's assessments")
        ordering = ("created_at", "id")
        constraints = [
            models.CheckConstraint(condition=~Q(motivation=""), name="screener_assessment_motivation_not_empty"),
        ]

    def __str__(self):
        return f"{self.application_id}: {self.outcome_proposal} by {self.screener_id}"


class RefusalProposalState(models.TextChoices):
    PENDING = "pending", _("awaiting a second screener")
    APPROVED = "approved", _("approved: refused")
    REJECTED = "rejected", _("sent back")


REFUSAL_TEXT_MAX_LENGTH = 5000


class RefusalProposal(models.Model):
    """A screener's proposal to refuse a case after the view period (four eyes, domain.md §3.5).

    The refusal is decided only when a senior screener other than the proposer approves it; until then
    the case waits in ``intent_to_refuse`` and nobody else decides it. Sent back, the case is free to be
    taken up again. At most one pending proposal per application (a partial unique constraint).
    Written only by ``screening.workbench.refusals``.
    """

    application = models.ForeignKey(
        "applications.Application", on_delete=models.PROTECT, related_name="refusal_proposals"
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("proposed by"), on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(_("proposed at"), default=timezone.now)
    # The weighing after the view(s): how the views were taken into account (internal).
    motivation = models.TextField(_("motivation"), max_length=SCREENER_MOTIVATION_MAX_LENGTH)
    # Printed in the decision letter.
    reasons = models.TextField(_("reasons for the applicant"), max_length=REFUSAL_TEXT_MAX_LENGTH)
    state = models.CharField(
        _("state"), max_length=16, choices=RefusalProposalState.choices, default=RefusalProposalState.PENDING
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = models.TextField(
        _("note of the second screener"), max_length=SCREENER_MOTIVATION_MAX_LENGTH, blank=True
    )

    class Meta:
        verbose_name = _("refusal proposal")
        verbose_name_plural = _("refusal proposals")
        ordering = ("proposed_at", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(state="pending"),
                name="refusal_proposal_one_pending_per_application",
            ),
            models.CheckConstraint(condition=~Q(reasons=""), name="refusal_proposal_reasons_not_empty"),
            # Four eyes: whoever reviews it is not the one who proposed it.
            models.CheckConstraint(
                condition=Q(reviewed_by__isnull=True) | ~Q(reviewed_by=F("proposed_by")),
                name="refusal_proposal_four_eyes",
            ),
            models.CheckConstraint(
                condition=Q(state="pending", reviewed_by__isnull=True)
                | (~Q(state="pending") & Q(reviewed_by__isnull=False, reviewed_at__isnull=False)),
                name="refusal_proposal_reviewed_when_decided",
            ),
        ]

    def __str__(self):
        return f"{self.application_id}: {self.state} by {self.proposed_by_id}"


class ObjectionChannel(models.TextChoices):
    LETTER = "letter", _("by letter")
    DIGITAL = "digital", _("digitally, in MijnJustis")
    IN_PERSON = "in_person", _("in person")


class ObjectionOutcome(models.TextChoices):
    UPHELD = "upheld", _("upheld (gegrond): the certificate is issued")
    UNFOUNDED = "unfounded", _("unfounded (ongegrond): the refusal stands")
    INADMISSIBLE = "inadmissible", _("inadmissible (niet-ontvankelijk)")


OBJECTION_GROUNDS_MAX_LENGTH = 10000
OBJECTION_TEXT_MAX_LENGTH = 5000


class Objection(models.Model):
    """An objection (bezwaar) against the refusal of an application, from registration to its outcome.

    ``period_ends_on`` is the last day of the objection period (decision date + OBJECTION_PERIOD_WEEKS);
    an objection received after it is registered only with the reason why the lateness is excusable
    (Awb 6:11). ``decision_due_on`` is the last day for the decision on the objection (Awb 7:10). At
    most one open objection per application (a partial unique index). Written only by
    ``screening.objections``.
    """

    application = models.ForeignKey("applications.Application", on_delete=models.PROTECT, related_name="objections")
    channel = models.CharField(_("channel"), max_length=16, choices=ObjectionChannel.choices)
    received_on = models.DateField(_("received on"))
    grounds = models.TextField(_("grounds"), max_length=OBJECTION_GROUNDS_MAX_LENGTH)
    late_excuse = models.TextField(_("why the lateness is excusable"), max_length=OBJECTION_TEXT_MAX_LENGTH, blank=True)
    decision_date = models.DateField(_("date of the refusal"))
    period_ends_on = models.DateField(_("last day of the objection period"))
    advisory_committee = models.BooleanField(_("heard by the advisory committee"), default=False)
    decision_due_on = models.DateField(_("decision on the objection due on"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("registered by"), on_delete=models.PROTECT, related_name="+"
    )
    registered_at = models.DateTimeField(_("registered at"), default=timezone.now)
    submission_key = models.UUIDField(null=True, blank=True, editable=False)
    hearing_on = models.DateField(_("hearing on"), null=True, blank=True)
    hearing_notes = models.TextField(_("notes of the hearing"), max_length=OBJECTION_TEXT_MAX_LENGTH, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=ObjectionOutcome.choices, blank=True)
    motivation = models.TextField(_("motivation"), max_length=OBJECTION_TEXT_MAX_LENGTH, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("objection (bezwaar)")
        verbose_name_plural = _("objections (bezwaren)")
        ordering = ("decision_due_on", "registered_at", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["application"], condition=Q(outcome=""), name="objection_one_open_per_application"
            ),
            models.UniqueConstraint(
                fields=["application", "submission_key"], name="objection_submission_key_once_per_application"
            ),
            models.CheckConstraint(condition=~Q(grounds=""), name="objection_grounds_not_empty"),
            models.CheckConstraint(
                condition=Q(received_on__lte=F("period_ends_on")) | ~Q(late_excuse=""),
                name="objection_late_needs_excuse",
            ),
            models.CheckConstraint(
                condition=Q(outcome="", decided_at__isnull=True, decided_by__isnull=True)
                | (~Q(outcome="") & Q(decided_at__isnull=False, decided_by__isnull=False) & ~Q(motivation="")),
                name="objection_decided_with_motivation",
            ),
        ]

    def __str__(self):
        return f"{self.application_id}: {self.outcome or 'open'} ({self.received_on})"

    @property
    def is_open(self) -> bool:
        return not self.outcome

    @property
    def late(self) -> bool:
        return self.received_on > self.period_ends_on
