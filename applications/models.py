from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from simple_history.models import HistoricalRecords

from justis.bsn_crypto import DIGEST_PATTERN
from justis.fields import BSNDigestField, EncryptedBSNField, EncryptedIdentitiesField
from justis.storage import private_storage
from justis.validity import check_validity

from .lifecycle import Status
from .validators import validate_bsn, validate_kvk_number, validate_municipality_code


class ApplicationType(models.TextChoices):
    VOG_NP = "VOG_NP", _("VOG for a natural person (VOG NP)")
    VOG_RP = "VOG_RP", _("VOG for a legal entity (VOG RP)")
    GVA = "GVA", _("Conduct certificate for public tenders (GVA)")


class Channel(models.TextChoices):
    MUNICIPAL_API = "municipal_api", _("forwarded by a municipal system")
    MUNICIPAL_COUNTER = "municipal_counter", _("municipal counter")
    DIGITAL_ORGANISATION = "digital_organisation", _("prepared by an organisation, completed online")
    DIGITAL_COMPANY = "digital_company", _("applied online by a company")
    RNI_DIRECT = "rni_direct", _("direct application, not registered in the BRP")
    PAPER = "paper", _("paper form to Justis")
    CONTINUOUS_SCREENING = "continuous_screening", _("continuous screening")


class UrgentReason(models.TextChoices):
    """The reasons for which the urgent procedure (spoedprocedure) may be asked (domain.md §4.2)."""

    ADOPTION = "adoption", _("adoption")
    WORK_ABROAD = "work_abroad", _("work abroad")
    EXECUTIVE_APPOINTMENT = "executive_appointment", _("appointment as alderman or provincial executive")
    CANDIDACY = "candidacy", _("candidacy for a representative body")
    ACTIVITIES_ABROAD = "activities_abroad", _("activities abroad (VOG RP)")


# The urgent reasons a VOG NP may give; a VOG RP only "activities abroad"; a GVA none.
URGENT_REASONS_BY_TYPE = {
    "VOG_NP": (
        UrgentReason.ADOPTION,
        UrgentReason.WORK_ABROAD,
        UrgentReason.EXECUTIVE_APPOINTMENT,
        UrgentReason.CANDIDACY,
    ),
    "VOG_RP": (UrgentReason.ACTIVITIES_ABROAD,),
    "GVA": (),
}


class DecisionProcedure(models.TextChoices):
    """Which decision period runs for an application (domain.md §4.1, §4.2)."""

    REGULAR = "regular", _("regular procedure")
    URGENT = "urgent", _("urgent procedure")
    CONVERTED = "converted", _("urgent procedure converted to regular")


class IdentityVerification(models.TextChoices):
    """Whether the applicant's personal data still has to be checked against the population register."""

    NOT_NEEDED = "not_needed", _("taken from the population register")
    PENDING = "pending", _("entered by hand: to be checked against the population register")
    VERIFIED = "verified", _("checked against the population register")
    MISMATCH = "mismatch", _("differs from the population register")


class Municipality(models.Model):
    code = models.CharField(_("municipality code"), max_length=4, unique=True, validators=[validate_municipality_code])
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ("name",)
        constraints = [
            models.CheckConstraint(condition=Q(code__regex=r"^[0-9]{4}$"), name="municipality_code_4_digits")
        ]

    def __str__(self):
        return f"{self.name} ({self.code})"


class Desk(models.Model):
    """A counter location of a municipality. Its two-digit code is part of the municipal number."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="desks")
    code = models.CharField(_("location code"), max_length=2)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("desk")
        verbose_name_plural = _("desks")
        ordering = ("municipality__name", "code")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "code"], name="desk_code_per_municipality"),
            models.CheckConstraint(condition=Q(code__regex=r"^[0-9]{2}$"), name="desk_code_2_digits"),
        ]

    def __str__(self):
        return f"{self.name} ({self.municipality.code}-{self.code})"


class DeskDaySequence(models.Model):
    """The last daily sequence number handed out at a desk (the NNNN of GGGG-LL-YYYYMMDD-NNNN)."""

    desk = models.ForeignKey(Desk, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["desk", "day"], name="desk_day_sequence")]

    def __str__(self):
        return f"{self.desk_id} {self.day}: {self.last}"


class ApiToken(models.Model):
    """A token of one municipal system; only its SHA-256 hash is stored."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    key_prefix = models.CharField(_("first characters"), max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.name} ({self.key_prefix}…, {self.municipality.code})"

    # DRF treats the authenticated principal as request.user.
    is_authenticated = True
    is_anonymous = False


class Organisation(models.Model):
    """The organisation (belanghebbende) that asks for the certificate."""

    kvk_number = models.CharField(
        _("KvK number"), max_length=8, null=True, blank=True, unique=True, validators=[validate_kvk_number]
    )
    name = models.CharField(_("name"), max_length=80)
    # Admitted to the Gratis VOG scheme (CIBG decision) until this date; empty when not admitted.
    free_vog_admitted_until = models.DateField(_("admitted to the free VOG scheme until"), null=True, blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.CheckConstraint(condition=Q(kvk_number__regex=r"^[0-9]{8}$"), name="organisation_kvk_8_digits"),
        ]

    def __str__(self):
        return f"{self.name} ({self.kvk_number or '-'})"


class Application(models.Model):
    reference = models.CharField(_("reference"), max_length=20, unique=True)
    type = models.CharField(_("type"), max_length=8, choices=ApplicationType.choices)
    channel = models.CharField(_("channel"), max_length=32, choices=Channel.choices)
    status = models.CharField(_("status"), max_length=32, choices=Status.choices, db_index=True)
    status_changed_at = models.DateTimeField(_("status changed at"), default=timezone.now)

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="applications"
    )
    idempotency_key = models.CharField(_("idempotency key"), max_length=255, blank=True)
    request_fingerprint = models.CharField(max_length=64, blank=True)

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="applications"
    )
    organisation_name = models.CharField(_("organisation name as applied"), max_length=80, blank=True)
    # The organisation's contact details as given with this application (belanghebbende, domain.md §1.1.1).
    organisation_representative = models.CharField(_("representative of the organisation"), max_length=80, blank=True)
    organisation_street = models.CharField(_("street of the organisation"), max_length=35, blank=True)
    organisation_house_number = models.CharField(_("house number of the organisation"), max_length=10, blank=True)
    organisation_house_number_suffix = models.CharField(
        _("house number suffix of the organisation"), max_length=10, blank=True
    )
    organisation_postcode = models.CharField(_("postcode of the organisation"), max_length=10, blank=True)
    organisation_city = models.CharField(_("town of the organisation"), max_length=40, blank=True)
    organisation_country = models.CharField(_("country of the organisation"), max_length=40, blank=True)
    organisation_phone = models.CharField(_("telephone of the organisation"), max_length=15, blank=True)

    purpose_code = models.CharField(_("purpose code"), max_length=3)
    position = models.CharField(_("position"), max_length=100, blank=True)
    purpose_description = models.CharField(_("purpose description"), max_length=100, blank=True)
    screening_profile = models.CharField(_("specific screening profile"), max_length=2, blank=True)
    functieaspecten = ArrayField(
        models.CharField(max_length=2), verbose_name=_("functieaspecten"), default=list, blank=True
    )
    # Special circumstances the organisation signals (omstandigheden; the J/N flag is "not empty").
    circumstances = models.TextField(_("special circumstances"), max_length=2000, blank=True)
    urgent_reason = models.CharField(
        _("urgent procedure, reason"), max_length=32, choices=UrgentReason.choices, blank=True
    )
    identity_verification = models.CharField(
        _("personal data check"),
        max_length=16,
        choices=IdentityVerification.choices,
        default=IdentityVerification.NOT_NEEDED,
    )
    identity_checked_at = models.DateTimeField(_("personal data checked at"), null=True, blank=True)
    # Who may see this application in MijnJustis (set when the applicant takes up an invitation).
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="applications"
    )

    application_date = models.DateField(_("application date"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    decision_due_date = models.DateField(_("statutory decision date"), null=True, blank=True)
    decision_period_extended = models.BooleanField(_("decision period extended"), default=False)
    # The procedure whose period runs (urgent on receipt when asked and the product has one; converted
    # to regular when the fast path stops) and the days the clock stood still while information was missing.
    decision_procedure = models.CharField(
        _("decision procedure"), max_length=16, choices=DecisionProcedure.choices, default=DecisionProcedure.REGULAR
    )
    suspended_days = models.PositiveIntegerField(_("days suspended"), default=0)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    # Work bookkeeping for tasks and the sweeper (PostgreSQL is the truth; Redis only carries hints).
    assessment_attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_attempt_error = models.CharField(max_length=255, blank=True)

    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    # When the retention job removed the personal data (justis.retention); empty while it is kept.
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            # Exactly one screening basis: one specific profile, or one or more functieaspecten. A GVA
            # has none: Justis checks the company and its key persons against the exclusion grounds.
            models.CheckConstraint(
                condition=(
                    ~Q(type="GVA")
                    & (
                        Q(screening_profile="", functieaspecten__len__gte=1)
                        | (~Q(screening_profile="") & Q(functieaspecten__len=0))
                    )
                )
                | Q(type="GVA", screening_profile="", functieaspecten__len=0),
                name="application_one_screening_basis",
            ),
            models.UniqueConstraint(
                fields=["municipality", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="application_idempotency_per_municipality",
            ),
            # PostgreSQL treats NULLs as distinct: applications entered at Justis (no municipality)
            # need their own constraint for a key to be used once.
            models.UniqueConstraint(
                fields=["idempotency_key"],
                condition=Q(municipality__isnull=True) & ~Q(idempotency_key=""),
                name="application_idempotency_without_municipality",
            ),
        ]
        indexes = [
            # The sweeper's view of work waiting for a task: small, because most rows are decided.
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status__in=["received", "in_assessment"]),
                name="application_pending_work",
            ),
            # The batches' claim, most urgent first: an index scan that stops after one batch, instead of
            # sorting the whole backlog for every batch (200 ms a batch at 70,000 waiting).
            models.Index(
                fields=["decision_due_date", "id"],
                condition=Q(status__in=["received", "in_assessment"]),
                name="application_waiting_by_due",
            ),
            # The team leads' dashboard: intake per day, and decisions per hour and per day.
            models.Index(fields=["received_at"], name="application_received_at"),
            models.Index(fields=["decided_at"], condition=Q(decided_at__isnull=False), name="application_decided_at"),
            # The retention job's view: applications whose personal data may still have to go, by age.
            models.Index(
                fields=["status_changed_at"],
                condition=Q(anonymised_at__isnull=True)
                & Q(status__in=["prepared", "submitted", "issued", "refused", "withdrawn", "expired"]),
                name="application_retention_due",
            ),
        ]

    def __str__(self):
        return self.reference


class Gender(models.TextChoices):
    """The population register's codes."""

    MALE = "M", _("male")
    FEMALE = "V", _("female")
    UNKNOWN = "O", _("unknown")


class Applicant(models.Model):
    """The applicant's data as given with this application."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="applicant")
    # Empty only for a person not registered in the Netherlands (RNI, paper channel).
    # Encrypted at rest, found through the keyed digest (justis/fields.py).
    bsn = EncryptedBSNField(_("BSN"), blank=True, validators=[validate_bsn])
    bsn_digest = BSNDigestField(source="bsn", blank=True, db_index=True)
    given_names = models.CharField(_("given names"), max_length=200)
    surname_prefix = models.CharField(_("surname prefix"), max_length=10, blank=True)
    surname = models.CharField(_("surname"), max_length=200)
    birth_date = models.DateField(_("date of birth"))
    birth_place = models.CharField(_("place of birth"), max_length=40)
    birth_country = models.CharField(_("country of birth"), max_length=40)
    street = models.CharField(_("street"), max_length=35, blank=True)
    house_number = models.CharField(_("house number"), max_length=10, blank=True)
    house_number_suffix = models.CharField(_("house number suffix"), max_length=10, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    city = models.CharField(_("town"), max_length=40, blank=True)
    country = models.CharField(_("country"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("telephone"), max_length=15, blank=True)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    nationalities = ArrayField(
        models.CharField(max_length=60), verbose_name=_("nationalities"), default=list, blank=True
    )
    # Earlier identities (historie): [{"given_names", "surname_prefix", "surname", "birth_date", "bsn"}].
    # Their BSNs are encrypted at rest like ``bsn``; nothing looks them up.
    previous_identities = EncryptedIdentitiesField(_("previous identities"), default=list, blank=True)

    class Meta:
        verbose_name = _("applicant")
        verbose_name_plural = _("applicants")
        constraints = [
            models.CheckConstraint(
                condition=Q(bsn_digest="") | Q(bsn_digest__regex=DIGEST_PATTERN), name="applicant_bsn_digest"
            ),
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.given_names, self.surname_prefix, self.surname) if part)


class StatusChange(models.Model):
    """Append-only history of the lifecycle: one row per transition, the newest is the current status."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=32, blank=True)
    to_status = models.CharField(max_length=32)
    at = models.DateTimeField(default=timezone.now)
    actor_kind = models.CharField(max_length=32)
    actor_id = models.CharField(max_length=128, blank=True)
    actor_label = models.CharField(max_length=255, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ("-at", "-id")
        indexes = [models.Index(fields=["application", "at"], name="status_change_app_at")]
        constraints = [
            # Decided once: an application is issued at most once and refused at most once (issued is
            # final; refused may only become issued on objection). A doubled task can never decide twice.
            models.UniqueConstraint(
                fields=["application"], condition=models.Q(to_status="issued"), name="status_change_one_issue"
            ),
            models.UniqueConstraint(
                fields=["application"], condition=models.Q(to_status="refused"), name="status_change_one_refusal"
            ),
        ]

    def __str__(self):
        return f"{self.application_id}: {self.from_status or '-'} → {self.to_status}"


class Delivery(models.TextChoices):
    POST = "post", _("by post")
    MESSAGE_BOX = "message_box", _("digitally, in the MijnOverheid message box")


class Invitation(models.Model):
    """An organisation's prepared request: the applicant gets a link and a code by e-mail.

    The applicant's BSN and register data are only known when they log in with DigiD.
    """

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="invitation")
    code = models.CharField(_("application code"), max_length=14, unique=True)
    given_names = models.CharField(_("given names"), max_length=200)
    surname = models.CharField(_("surname"), max_length=200)
    birth_date = models.DateField(_("date of birth"))
    email = models.EmailField(_("e-mail address"))
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="prepared_invitations"
    )
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    reminder_sent_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="accepted_invitations"
    )
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    is_free = models.BooleanField(_("free VOG (volunteers)"), default=False)
    delivery = models.CharField(_("delivery"), max_length=16, choices=Delivery.choices, blank=True)
    declaration_confirmed_at = models.DateTimeField(_("declaration confirmed at"), null=True, blank=True)
    fee_cents = models.PositiveIntegerField(_("fee in cents"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        indexes = [models.Index(fields=["expires_at"], name="invitation_expires_at")]

    def __str__(self):
        return f"{self.code} ({self.application.reference})"


class FeeChannel(models.TextChoices):
    DIGITAL = "digital", _("online (MijnJustis, organisation portal)")
    MUNICIPAL = "municipal", _("at the municipality")
    PAPER = "paper", _("paper form")
    FREE = "free", _("free of charge (Gratis VOG scheme)")


class FeeRate(models.Model):
    """The fee of a product through a channel, versioned by date (domain.md §4.5)."""

    product = models.CharField(_("product"), max_length=8, choices=ApplicationType.choices)
    channel_group = models.CharField(_("channel"), max_length=16, choices=FeeChannel.choices)
    amount_cents = models.PositiveIntegerField(_("amount in cents"))
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to (inclusive)"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("fee")
        verbose_name_plural = _("fees")
        ordering = ("product", "channel_group", "valid_from")
        constraints = [
            models.UniqueConstraint(fields=["product", "channel_group", "valid_from"], name="fee_rate_version"),
        ]

    def __str__(self):
        return f"{self.product} {self.channel_group} €{self.amount_cents / 100:.2f} from {self.valid_from}"

    def clean(self):
        check_validity(self, product=self.product, channel_group=self.channel_group)


class OrganisationDefaults(models.Model):
    """What an organisation usually asks for, so preparing the next request is quicker."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="defaults")
    purpose_code = models.CharField(max_length=3, blank=True)
    position = models.CharField(max_length=100, blank=True)
    purpose_description = models.CharField(max_length=100, blank=True)
    screening_profile = models.CharField(max_length=2, blank=True)
    functieaspecten = ArrayField(models.CharField(max_length=2), default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("organisation defaults")
        verbose_name_plural = _("organisation defaults")

    def __str__(self):
        return str(self.organisation)


class BulkUploadStatus(models.TextChoices):
    QUEUED = "queued", _("waiting")
    RUNNING = "running", _("being processed")
    DONE = "done", _("done")


class BulkUpload(models.Model):
    """A CSV of applicants for whom an organisation prepares the same request at once.

    The rows are kept here, and each row's outcome is written in the same transaction as the request
    it prepares, so a task that is interrupted resumes where it stopped and never prepares a row twice.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="bulk_uploads")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField(_("file name"), max_length=255)
    purpose = models.JSONField(_("purpose and screening"))
    rows = models.JSONField(_("rows"), default=list)
    status = models.CharField(
        _("status"), max_length=16, choices=BulkUploadStatus.choices, default=BulkUploadStatus.QUEUED
    )
    processed = models.PositiveIntegerField(_("rows processed"), default=0)
    prepared_count = models.PositiveIntegerField(_("requests prepared"), default=0)
    refused_count = models.PositiveIntegerField(_("rows refused"), default=0)
    report = models.JSONField(_("report per row"), default=list)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("bulk upload")
        verbose_name_plural = _("bulk uploads")
        ordering = ("-created_at",)
        constraints = [
            models.CheckConstraint(
                condition=Q(prepared_count__lte=F("processed")) & Q(refused_count__lte=F("processed")),
                name="bulk_upload_counts",
            )
        ]

    def __str__(self):
        return f"{self.file_name} ({self.processed}/{len(self.rows)})"

    @property
    def total(self) -> int:
        return len(self.rows)


class IdentityDocumentKind(models.TextChoices):
    PASSPORT = "passport", _("passport")
    IDENTITY_CARD = "identity_card", _("identity card")
    DRIVING_LICENCE = "driving_licence", _("driving licence")
    RESIDENCE_DOCUMENT = "residence_document", _("residence document")


class CounterPaymentMethod(models.TextChoices):
    PIN = "pin", _("debit card (PIN)")
    CASH = "cash", _("cash")


class MayorAdvice(models.TextChoices):
    """Burgemeestersadvies: a field that survives in the municipal message (domain.md §1.1.1)."""

    UNKNOWN = "O", _("unknown")
    NO = "N", _("no")
    EXPECTED = "V", _("expected")


class PersonalDataSource(models.TextChoices):
    BRP = "brp", _("population register")
    MANUAL = "manual", _("entered by hand")
    MUNICIPAL_SYSTEM = "municipal_system", _("municipal system")


class MunicipalIntake(models.Model):
    """What the municipality recorded when it took the application at the counter (or sent it by API).

    The remark flags follow the municipal message: each is a yes/no with a required explanation
    when yes (enforced by a check constraint as well as by the forms).
    """

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="intake")
    municipal_number = models.CharField(_("municipal number"), max_length=21, unique=True)
    desk = models.ForeignKey(Desk, on_delete=models.PROTECT, related_name="intakes")
    clerk = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="intakes"
    )
    taken_at = models.DateTimeField(_("taken at"), default=timezone.now)
    personal_data_source = models.CharField(_("personal data from"), max_length=16, choices=PersonalDataSource.choices)
    id_document_kind = models.CharField(_("identity document"), max_length=24, choices=IdentityDocumentKind.choices)
    id_document_number_end = models.CharField(_("last characters of the document number"), max_length=4)
    payment_method = models.CharField(_("paid by"), max_length=8, choices=CounterPaymentMethod.choices)
    fee_cents = models.PositiveIntegerField(_("fee in cents"))
    special_findings = models.BooleanField(_("special findings"), default=False)
    special_findings_text = models.CharField(_("special findings, explanation"), max_length=2000, blank=True)
    persisted = models.BooleanField(_("applicant persisted"), default=False)
    persisted_text = models.CharField(_("persisting, explanation"), max_length=2000, blank=True)
    covog_advice_requested = models.BooleanField(_("COVOG advice requested"), default=False)
    covog_advice_text = models.CharField(_("COVOG advice, explanation"), max_length=2000, blank=True)
    general_explanation = models.BooleanField(_("general explanation"), default=False)
    general_explanation_text = models.CharField(_("general explanation, text"), max_length=2000, blank=True)
    mayor_advice = models.CharField(
        _("mayor's advice"), max_length=1, choices=MayorAdvice.choices, default=MayorAdvice.UNKNOWN
    )
    remark = models.TextField(_("remark of the municipality"), max_length=2000, blank=True)
    # The organisation (belanghebbende) as on the form, besides its name and KvK number on the
    # application: representative, street, house_number, postcode, city, country, phone.

    class Meta:
        verbose_name = _("municipal intake")
        verbose_name_plural = _("municipal intakes")
        ordering = ("-taken_at",)
        indexes = [models.Index(fields=["desk", "taken_at"], name="intake_desk_taken_at")]
        constraints = [
            models.CheckConstraint(
                condition=Q(municipal_number__regex=r"^[0-9]{4}-[0-9]{2}-[0-9]{8}-[0-9]{4}$"),
                name="intake_municipal_number_format",
            ),
            models.CheckConstraint(
                condition=Q(id_document_number_end__regex=r"^[A-Z0-9]{4}$"), name="intake_document_end_4"
            ),
            *(
                models.CheckConstraint(
                    condition=Q(**{flag: False}) | ~Q(**{f"{text}": ""}),
                    name=f"intake_{flag}_explained",
                )
                for flag, text in (
                    ("special_findings", "special_findings_text"),
                    ("persisted", "persisted_text"),
                    ("covog_advice_requested", "covog_advice_text"),
                    ("general_explanation", "general_explanation_text"),
                )
            ),
        ]

    def __str__(self):
        return self.municipal_number


# --- Paper applications: VOG RP and GVA entered by Justis from the paper form ----------------------
# (domain.md §1.3–§1.5, §10.1). The legal entity applying, its key persons, and the scans of what
# arrived by post or e-mail; also the Justis intake record (who entered it, the fee, extra copies).


class LegalForm(models.TextChoices):
    NV = "nv", _("public limited company (NV)")
    BV = "bv", _("private limited company (BV)")
    CV = "cv", _("limited partnership (CV)")
    STICHTING = "stichting", _("foundation (stichting)")
    VERENIGING = "vereniging", _("association (vereniging)")
    VOF = "vof", _("general partnership (VOF)")
    MAATSCHAP = "maatschap", _("partnership (maatschap)")
    EENMANSZAAK = "eenmanszaak", _("sole proprietorship (eenmanszaak)")


# A sole proprietor applies for a VOG NP, not a VOG RP; a GVA is open to an eenmanszaak too.
LEGAL_FORMS_BY_TYPE = {
    "VOG_RP": tuple(form for form in LegalForm if form != LegalForm.EENMANSZAAK),
    "GVA": tuple(LegalForm),
}


class LegalEntity(models.Model):
    """The company that applies for a VOG RP or a GVA (the form's part 1.1)."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="legal_entity")
    kvk_number = models.CharField(_("KvK number"), max_length=8, validators=[validate_kvk_number])
    name = models.CharField(_("name"), max_length=80)
    legal_form = models.CharField(_("legal form"), max_length=16, choices=LegalForm.choices)
    street = models.CharField(_("street"), max_length=35)
    house_number = models.CharField(_("house number"), max_length=10)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    city = models.CharField(_("seat (town)"), max_length=40)
    representative_name = models.CharField(_("name of the representative"), max_length=80)

    class Meta:
        verbose_name = _("legal entity")
        verbose_name_plural = _("legal entities")
        constraints = [
            models.CheckConstraint(condition=Q(kvk_number__regex=r"^[0-9]{8}$"), name="legal_entity_kvk_8_digits"),
        ]

    def __str__(self):
        return f"{self.name} ({self.kvk_number})"


class KeyPersonRole(models.TextChoices):
    DIRECTOR = "bestuurder", _("director (bestuurder)")
    PARTNER = "vennoot", _("partner (vennoot)")
    MAAT = "maat", _("partner in a maatschap (maat)")
    MANAGER = "beheerder", _("manager (beheerder)")
    FORMER_DIRECTOR = "former_bestuurder", _("former director")
    OWNER = "eigenaar", _("owner (eenmanszaak)")


class KeyPerson(models.Model):
    """A natural person in a key position of the legal entity (GVA form B; former directors form C)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="key_persons")
    role = models.CharField(_("role"), max_length=24, choices=KeyPersonRole.choices)
    # Empty for a person without a BSN (not registered in the Netherlands).
    bsn = EncryptedBSNField(_("BSN"), blank=True, validators=[validate_bsn])
    bsn_digest = BSNDigestField(source="bsn", blank=True)
    given_names = models.CharField(_("given names"), max_length=200)
    surname_prefix = models.CharField(_("surname prefix"), max_length=10, blank=True)
    surname = models.CharField(_("surname"), max_length=200)
    birth_date = models.DateField(_("date of birth"))
    birth_place = models.CharField(_("place of birth"), max_length=40, blank=True)
    birth_country = models.CharField(_("country of birth"), max_length=40, blank=True)
    nationality = models.CharField(_("nationality"), max_length=60)
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        verbose_name = _("key person")
        verbose_name_plural = _("key persons")
        ordering = ("application", "id")
        constraints = [
            models.CheckConstraint(
                condition=Q(bsn_digest="") | Q(bsn_digest__regex=DIGEST_PATTERN), name="key_person_bsn_digest"
            ),
            # A former director has a leave date; nobody else has one.
            models.CheckConstraint(
                condition=Q(role="former_bestuurder", left_on__isnull=False)
                | (~Q(role="former_bestuurder") & Q(left_on__isnull=True)),
                name="key_person_left_on_only_former_director",
            ),
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.given_names, self.surname_prefix, self.surname) if part)


class PaperIntake(models.Model):
    """What Justis recorded when it entered a paper application: who, when, the fee received, copies."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="paper_intake")
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("entered by")
    )
    entered_at = models.DateTimeField(_("entered at"), default=timezone.now)
    # Received by bank transfer before the application was entered (the fee plus any extra copies).
    fee_cents = models.PositiveIntegerField(_("fee in cents"))
    extra_copies = models.PositiveSmallIntegerField(_("extra copies"), default=0)

    class Meta:
        verbose_name = _("paper intake")
        verbose_name_plural = _("paper intakes")
        constraints = [
            models.CheckConstraint(condition=Q(extra_copies__lte=10), name="paper_intake_extra_copies_at_most_10"),
        ]

    def __str__(self):
        return f"{self.application_id} ({self.entered_at:%Y-%m-%d})"


class ScannedDocumentKind(models.TextChoices):
    APPLICATION_FORM = "application_form", _("application form")
    ID_COPY = "id_copy", _("copy of an identity document")
    PAYMENT_PROOF = "payment_proof", _("proof of payment")
    OTHER = "other", _("other document")


class ScannedDocument(models.Model):
    """A scan of the paper form or of a document sent with it, in the private storage.

    The stored file name is ours (``paper/<year>/<month>/<uuid>.<ext>``); the sender's file name,
    the type recognised from the first bytes and the size are kept as data.
    """

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="scanned_documents")
    kind = models.CharField(_("kind"), max_length=24, choices=ScannedDocumentKind.choices)
    file = models.FileField(_("file"), storage=private_storage, upload_to="paper/%Y/%m/", max_length=255)
    original_name = models.CharField(_("original file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("scanned document")
        verbose_name_plural = _("scanned documents")
        ordering = ("application", "id")

    def __str__(self):
        return f"{self.application_id}: {self.get_kind_display()} ({self.original_name})"


class PeriodProcedure(models.TextChoices):
    REGULAR = "regular", _("regular procedure")
    URGENT = "urgent", _("urgent procedure")


class PeriodUnit(models.TextChoices):
    WEEKS = "weeks", _("weeks")
    DAYS = "days", _("days")
    WORKING_DAYS = "working_days", _("working days")


class DecisionPeriod(models.Model):
    """The statutory decision period (beslistermijn) of a product and procedure, versioned by date.

    The period valid on the application date applies to that application. ``extension`` is what the
    period may be extended by, once, when an assessment is needed (0: no extension).
    """

    product = models.CharField(_("product"), max_length=8, choices=ApplicationType.choices)
    procedure = models.CharField(_("procedure"), max_length=8, choices=PeriodProcedure.choices)
    period = models.PositiveSmallIntegerField(_("period"))
    extension = models.PositiveSmallIntegerField(_("extension"), default=0)
    unit = models.CharField(_("unit"), max_length=16, choices=PeriodUnit.choices)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to (inclusive)"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    source = models.TextField(_("source"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("decision period")
        verbose_name_plural = _("decision periods")
        ordering = ("product", "procedure", "valid_from")
        constraints = [
            models.UniqueConstraint(fields=["product", "procedure", "valid_from"], name="decision_period_version"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="decision_period_valid_range",
            ),
            models.CheckConstraint(condition=Q(period__gte=1), name="decision_period_positive"),
        ]

    def __str__(self):
        return f"{self.product} {self.procedure}: {self.period}+{self.extension} {self.unit} from {self.valid_from}"

    def valid_on(self, day) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.product == ApplicationType.GVA and self.procedure == PeriodProcedure.URGENT:
            raise ValidationError({"procedure": _("A GVA has no urgent procedure.")})
        check_validity(self, product=self.product, procedure=self.procedure)


class DeadlineEventKind(models.TextChoices):
    EXTENSION = "extension", _("decision period extended")
    SUSPENSION = "suspension", _("suspended: waiting for information")
    RESUMPTION = "resumption", _("resumed after suspension")
    URGENT_CONVERSION = "urgent_conversion", _("urgent procedure converted to regular")


class DeadlineEvent(models.Model):
    """What moved an application's statutory decision date, written with the status change that moved it.

    ``announced_at`` is when the notice to the applicant was written to the outbox (extension and
    conversion are announced; a suspension is announced by the request for information itself).
    """

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="deadline_events")
    kind = models.CharField(_("kind"), max_length=24, choices=DeadlineEventKind.choices)
    at = models.DateTimeField(_("at"), default=timezone.now)
    previous_due_date = models.DateField(_("decision date before"), null=True, blank=True)
    new_due_date = models.DateField(_("decision date after"), null=True, blank=True)
    days = models.PositiveIntegerField(_("days"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    announced_at = models.DateTimeField(_("announced at"), null=True, blank=True)

    class Meta:
        verbose_name = _("deadline event")
        verbose_name_plural = _("deadline events")
        ordering = ("application", "at", "id")
        constraints = [
            # The period is extended once at most, and an urgent application converted once.
            models.UniqueConstraint(
                fields=["application"], condition=Q(kind="extension"), name="deadline_event_one_extension"
            ),
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(kind="urgent_conversion"),
                name="deadline_event_one_conversion",
            ),
        ]

    def __str__(self):
        return f"{self.application_id}: {self.kind} {self.previous_due_date} → {self.new_due_date}"
