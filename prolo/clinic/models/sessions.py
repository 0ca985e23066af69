from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from prolo.clinic.models.courses import TreatmentCourse
from prolo.clinic.models.patients import WeightMeasurement
from prolo.clinic.sites import SITES, SITES_BY_CODE


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"


class TreatmentSession(models.Model):
    """One visit of a course: scheduled, checked, injected, documented."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    course = models.ForeignKey(TreatmentCourse, on_delete=models.CASCADE, related_name="sessions")
    number = models.PositiveSmallIntegerField(help_text="1 for the course's first session")
    scheduled_at = models.DateTimeField()
    practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    room = models.CharField(max_length=60, blank=True)
    status = models.CharField(
        max_length=20, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED
    )

    class Meta:
        ordering = ["scheduled_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["course", "number"], name="session_number_unique"),
        ]
        indexes = [models.Index(fields=["scheduled_at"])]

    def __str__(self) -> str:
        return f"Session {self.number} on {self.scheduled_at:%d %b %Y}"


class Checklist(models.Model):
    """The pre-procedure checklist; complete only when every item is confirmed."""

    session = models.OneToOneField(
        TreatmentSession, on_delete=models.CASCADE, related_name="checklist"
    )
    identity_confirmed = models.BooleanField(default=False)
    consent_on_file = models.BooleanField(default=False)
    nsaids_stopped_on = models.DateField(
        "anti-inflammatories stopped on",
        null=True,
        blank=True,
        help_text="Leave empty if the patient takes none.",
    )
    takes_no_nsaids = models.BooleanField("takes no anti-inflammatories", default=False)
    protein_meal = models.BooleanField("protein-rich meal eaten", default=False)
    contraindications_rechecked = models.BooleanField(default=False)
    weight = models.ForeignKey(
        WeightMeasurement, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    site_marked = models.BooleanField(default=False)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Signing a course's first session ends its baseline questionnaires (a score after treatment
    # is no baseline), so going ahead without one is a decision recorded with its reason.
    no_baseline_reason = models.TextField(
        "reason for going ahead without a baseline questionnaire", blank=True
    )
    no_baseline_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    no_baseline_at = models.DateTimeField(null=True, blank=True)

    ITEMS = (
        "identity_confirmed",
        "consent_on_file",
        "protein_meal",
        "contraindications_rechecked",
        "site_marked",
    )

    def missing_items(self) -> list[str]:
        missing = [
            str(getattr(self._meta.get_field(name), "verbose_name", name))
            for name in self.ITEMS
            if not getattr(self, name)
        ]
        if self.nsaids_stopped_on is None and not self.takes_no_nsaids:
            missing.append("anti-inflammatories stopped on (or takes none)")
        if self.weight_id is None:
            missing.append("today's weight")
        return missing

    @property
    def is_complete(self) -> bool:
        return self.completed_at is not None


class Antisepsis(models.TextChoices):
    CHLORHEXIDINE = "chlorhexidine_alcohol", "Chlorhexidine 2% in alcohol"
    POVIDONE_IODINE = "povidone_iodine", "Povidone-iodine"
    ALCOHOL = "alcohol", "Isopropyl alcohol 70%"
    OTHER = "other", "Other"


class Numbing(models.TextChoices):
    TOPICAL = "topical", "Topical cream"
    INFILTRATION = "infiltration", "Local infiltration"
    NONE = "none", "None"


class NoteStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SIGNED = "signed", "Signed"


class ProcedureNote(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    session = models.OneToOneField(TreatmentSession, on_delete=models.CASCADE, related_name="note")
    antisepsis = models.CharField("skin antisepsis", max_length=30, choices=Antisepsis.choices)
    numbing = models.CharField("numbing", max_length=20, choices=Numbing.choices)
    heat_pack_minutes = models.PositiveSmallIntegerField(
        "heat pack (minutes)", default=0, validators=[MaxValueValidator(60)]
    )
    observations = models.TextField("immediate observations", blank=True)
    complications = models.TextField(blank=True, help_text="Leave empty if none.")
    aftercare_given = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=NoteStatus.choices, default=NoteStatus.DRAFT)
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # A physician may sign above the anaesthetic ceiling only with a recorded reason.
    dose_override_reason = models.TextField(blank=True)
    dose_override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    dose_override_at = models.DateTimeField(null=True, blank=True)
    # The combined % of ceiling the override was given for: a higher total needs a new one.
    dose_override_percent = models.DecimalField(
        max_digits=9, decimal_places=3, null=True, blank=True
    )
    # The mg of agents with no maximum when the override was given: more needs a new one.
    dose_override_uncapped_mg = models.DecimalField(
        max_digits=12, decimal_places=4, null=True, blank=True
    )
    # What the dose was judged against when the note was signed, kept so that a later weight,
    # limit or setting can never change how a signed session reads.
    dose_weight_kg = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    dose_weight_measured_on = models.DateField(null=True, blank=True)
    dose_combined_percent = models.DecimalField(
        max_digits=12, decimal_places=4, null=True, blank=True
    )
    dose_figures = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft")
                | (Q(signed_at__isnull=False) & Q(signed_by__isnull=False)),
                name="signed_note_has_signer",
                violation_error_message="A signed note needs its signer and signing time.",
            ),
            models.CheckConstraint(
                condition=Q(heat_pack_minutes__lte=60),
                name="heat_pack_minutes_max",
                violation_error_code="heat_pack_minutes",
                violation_error_message="Heat pack (minutes) must be 60 or fewer.",
            ),
        ]

    @property
    def is_signed(self) -> bool:
        return self.status == NoteStatus.SIGNED


class Side(models.TextChoices):
    LEFT = "left", "Left"
    RIGHT = "right", "Right"
    MIDLINE = "midline", "Midline"


class InjectionStructure(models.TextChoices):
    LIGAMENT = "ligament", "Ligament"
    TENDON = "tendon", "Tendon"
    ENTHESIS = "enthesis", "Enthesis"
    JOINT = "joint", "Joint"
    NERVE = "nerve", "Nerve / perineural"
    OTHER = "other", "Other"


class Guidance(models.TextChoices):
    LANDMARK = "landmark", "Landmark"
    ULTRASOUND = "ultrasound", "Ultrasound"
    FLUOROSCOPY = "fluoroscopy", "Fluoroscopy"


class Anaesthetic(models.TextChoices):
    NONE = "none", "None"
    LIDOCAINE = "lidocaine", "Lidocaine"
    BUPIVACAINE = "bupivacaine", "Bupivacaine"
    ROPIVACAINE = "ropivacaine", "Ropivacaine"
    MEPIVACAINE = "mepivacaine", "Mepivacaine"
    PROCAINE = "procaine", "Procaine"


class Diluent(models.TextChoices):
    NONE = "none", "None"
    SALINE = "saline", "0.9% saline"
    BACTERIOSTATIC_SALINE = "bacteriostatic_saline", "Bacteriostatic saline (benzyl alcohol)"
    STERILE_WATER = "sterile_water", "Sterile water"
    BACTERIOSTATIC_WATER = "bacteriostatic_water", "Bacteriostatic water (benzyl alcohol)"


SITE_CODES = [site.code for site in SITES]


class Injection(models.Model):
    """One injection of the procedure note: where, how, and what was given."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    note = models.ForeignKey(ProcedureNote, on_delete=models.CASCADE, related_name="injections")
    site_code = models.CharField("site", max_length=40, choices=[(s.code, s.label) for s in SITES])
    site_detail = models.CharField(
        "site detail", max_length=200, blank=True, help_text="Required for 'Other site'."
    )
    side = models.CharField(max_length=10, choices=Side.choices)
    structure = models.CharField(
        "target structure", max_length=20, choices=InjectionStructure.choices
    )
    guidance = models.CharField(max_length=20, choices=Guidance.choices)
    needle_gauge = models.PositiveSmallIntegerField(
        "needle gauge (G)", validators=[MinValueValidator(18), MaxValueValidator(33)]
    )
    needle_length_mm = models.PositiveSmallIntegerField(
        "needle length (mm)", validators=[MinValueValidator(4), MaxValueValidator(200)]
    )
    dextrose_percent = models.DecimalField(
        "dextrose (%)",
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(50)],
    )
    anaesthetic = models.CharField(max_length=20, choices=Anaesthetic.choices)
    anaesthetic_percent = models.DecimalField(
        "anaesthetic (%)",
        max_digits=4,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(4)],
    )
    diluent = models.CharField(max_length=30, choices=Diluent.choices)
    lot = models.CharField("lot number", max_length=60, blank=True)
    syringe = models.ForeignKey(
        "clinic.Syringe",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="injections",
        help_text="The syringe drawn up for it, if any.",
    )
    epinephrine = models.BooleanField("with epinephrine", default=False)
    volume_ml = models.DecimalField(
        "volume (mL)",
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(30)],
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(volume_ml__gt=0),
                name="injection_volume_positive",
                violation_error_code="volume_ml",
                violation_error_message="Volume (mL) must be more than 0.",
            ),
            models.CheckConstraint(
                condition=Q(dextrose_percent__gte=0) & Q(dextrose_percent__lte=50),
                name="injection_dextrose_range",
                violation_error_code="dextrose_percent",
                violation_error_message="Dextrose (%%) must be between 0 and 50.",
            ),
            models.CheckConstraint(
                condition=Q(anaesthetic="none", anaesthetic_percent=0)
                | (~Q(anaesthetic="none") & Q(anaesthetic_percent__gt=0)),
                name="injection_anaesthetic_consistent",
                violation_error_code="anaesthetic_percent",
                violation_error_message="Anaesthetic (%%): give a strength above 0 when an anaesthetic is chosen, and 0 when it is 'None'.",
            ),
            models.CheckConstraint(
                condition=~Q(site_code="other") | ~Q(site_detail=""),
                name="injection_other_site_described",
                violation_error_code="site_detail",
                violation_error_message="Site detail: describe the site when 'Other site' is chosen.",
            ),
        ]

    @property
    def site_label(self) -> str:
        label = SITES_BY_CODE[self.site_code].label if self.site_code in SITES_BY_CODE else ""
        if self.site_code == "other":
            return self.site_detail
        return f"{label} ({self.site_detail})" if self.site_detail else label

    def solution_summary(self) -> str:
        parts = [f"{self.dextrose_percent.normalize():f}% dextrose"]
        if self.anaesthetic != Anaesthetic.NONE:
            pct = self.anaesthetic_percent.normalize()
            parts.append(f"{self.get_anaesthetic_display().lower()} {pct:f}%")
        if self.diluent != Diluent.NONE:
            parts.append(f"in {self.get_diluent_display()}")
        return ", ".join(parts)


class Amendment(models.Model):
    """A dated correction to a signed note; the signed original is never changed."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    note = models.ForeignKey(ProcedureNote, on_delete=models.CASCADE, related_name="amendments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    reason = models.CharField(max_length=300)
    text = models.TextField("correction")

    class Meta:
        ordering = ["created_at", "id"]
