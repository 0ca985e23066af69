"""The safety engine's data: clinic settings, the stock catalogue, anaesthetic limits, the
syringes drawn up in a session, contraindication screenings and protocol templates.

Numbers the domain notes mark unverified are defaults a clinic can change, each stored with the
source it came from so the pages can show it.
"""

from __future__ import annotations

import uuid
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from prolo.clinic.models.accounts import Clinic
from prolo.clinic.models.courses import CourseType, OutcomeSchedule, TreatmentCourse
from prolo.clinic.models.evaluations import Region
from prolo.clinic.models.sessions import Anaesthetic, Diluent, TreatmentSession


class DoseWeightBasis(models.TextChoices):
    ACTUAL = "actual", "Actual body weight"
    IDEAL = "ideal", "Ideal body weight (Devine)"
    ADJUSTED = "adjusted", "Adjusted body weight (ideal + 0.4 × excess)"


class ClinicSettings(models.Model):
    """Per-clinic defaults for the safety engine and the care plans. See docs/safety.md."""

    clinic = models.OneToOneField(Clinic, on_delete=models.CASCADE, related_name="safety")
    syringe_precision_ml = models.DecimalField(
        "syringe precision (mL)",
        max_digits=4,
        decimal_places=2,
        default=Decimal("0.1"),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("1"))],
    )
    weight_max_age_days = models.PositiveSmallIntegerField(
        "a weight counts for (days)",
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    dose_weight_basis = models.CharField(
        "dosing weight",
        max_length=10,
        choices=DoseWeightBasis.choices,
        default=DoseWeightBasis.ACTUAL,
        help_text="Ideal and adjusted need the patient's height; never above the actual weight.",
    )
    dose_warn_percent = models.PositiveSmallIntegerField(
        "warn at (% of ceiling)",
        default=80,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    child_factor = models.DecimalField(
        "dose factor, under 18",
        max_digits=3,
        decimal_places=2,
        default=Decimal("1.00"),
        validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(Decimal("1"))],
        help_text="The lidocaine label says doses should be reduced for children [R44] but "
        "gives no amount: clinic setting (1.00 = no reduction).",
    )
    elderly_age = models.PositiveSmallIntegerField(
        "elderly from age", default=65, validators=[MaxValueValidator(120)]
    )
    elderly_factor = models.DecimalField(
        "dose factor, elderly",
        max_digits=3,
        decimal_places=2,
        default=Decimal("1.00"),
        validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(Decimal("1"))],
    )
    hepatic_factor = models.DecimalField(
        "dose factor, liver disease",
        max_digits=3,
        decimal_places=2,
        default=Decimal("1.00"),
        validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(Decimal("1"))],
    )
    cardiac_factor = models.DecimalField(
        "dose factor, heart disease",
        max_digits=3,
        decimal_places=2,
        default=Decimal("1.00"),
        validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(Decimal("1"))],
    )
    nsaid_stop_days_before = models.PositiveSmallIntegerField(
        "stop anti-inflammatories (days before)", default=3, validators=[MaxValueValidator(28)]
    )
    nsaid_avoid_days_after = models.PositiveSmallIntegerField(
        "avoid anti-inflammatories (days after)", default=7, validators=[MaxValueValidator(90)]
    )
    flare_typical_days = models.PositiveSmallIntegerField(
        "usual flare (days)", default=3, validators=[MaxValueValidator(30)]
    )
    flare_max_days = models.PositiveSmallIntegerField(
        "flare longer than this needs review (days)",
        default=7,
        validators=[MaxValueValidator(30)],
    )
    heat_pack_min_minutes = models.PositiveSmallIntegerField(default=10)
    heat_pack_max_minutes = models.PositiveSmallIntegerField(default=15)
    heavy_loading_days = models.PositiveSmallIntegerField(
        "no heavy loading after deep injections (days)",
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
    )
    prp_nsaid_stop_days_before = models.PositiveSmallIntegerField(
        "PRP: stop anti-inflammatories at least (days before)",
        default=4,
        validators=[MaxValueValidator(28)],
    )
    prp_nsaid_avoid_days_after = models.PositiveSmallIntegerField(
        "PRP: avoid anti-inflammatories at least (days after)",
        default=7,
        validators=[MaxValueValidator(90)],
    )
    healing_weeks = models.PositiveSmallIntegerField(
        "tissue healing (weeks)", default=6, validators=[MaxValueValidator(52)]
    )
    recent_steroid_weeks = models.PositiveSmallIntegerField(
        "steroid injection at the site counts as recent within (weeks)",
        default=4,
        validators=[MaxValueValidator(52)],
    )
    prp_min_haemoglobin = models.DecimalField(
        "PRP: minimum haemoglobin (g/dL)",
        max_digits=4,
        decimal_places=1,
        default=Decimal("10.0"),
    )
    prp_min_platelets = models.PositiveIntegerField("PRP: minimum platelets (×10³/µL)", default=100)
    epinephrine_min_ratio = models.PositiveIntegerField(
        "epinephrine counts from 1:",
        default=400_000,
        validators=[MinValueValidator(1_000), MaxValueValidator(10_000_000)],
        help_text="A mix with less epinephrine than 1:this (400000 = 1:400,000 = 2.5 µg/mL) is "
        "judged against the plain anaesthetic limit. Unverified: not in the domain notes; the "
        "with-epinephrine limits were labelled for 1:200,000 (bupivacaine [R46][R47]).",
    )

    class Meta:
        verbose_name_plural = "clinic settings"

    def __str__(self) -> str:
        return f"Safety settings of {self.clinic}"


class StockKind(models.TextChoices):
    DEXTROSE = "dextrose", "Dextrose"
    ANAESTHETIC = "anaesthetic", "Local anaesthetic"
    DILUENT = "diluent", "Diluent"
    SCLEROSANT = "sclerosant", "Sclerosant"
    BIOLOGIC = "biologic", "Autologous biologic"


class Allergen(models.TextChoices):
    """What a stock is made from or preserved with, matched against allergy categories."""

    CORN = "corn", "Corn (dextrose)"
    FISH = "fish", "Fish (morrhuate)"
    AMIDE_ANAESTHETIC = "amide_anaesthetic", "Amide local anaesthetic"
    ESTER_ANAESTHETIC = "ester_anaesthetic", "Ester local anaesthetic"
    PARABEN = "paraben", "Paraben preservative"
    SULFITE = "sulfite", "Sulfite (metabisulfite)"
    BENZYL_ALCOHOL = "benzyl_alcohol", "Benzyl alcohol preservative"


# Procaine is an ester (metabolised to para-aminobenzoic acid); every other agent Prolo
# records is an amide. The classes are screened apart so each finding names the right one.
ESTER_AGENTS = frozenset({Anaesthetic.PROCAINE.value})

BACTERIOSTATIC = frozenset({Diluent.BACTERIOSTATIC_SALINE, Diluent.BACTERIOSTATIC_WATER})


def composition_allergens(
    *, dextrose_percent: Decimal | int, anaesthetic: str, epinephrine: bool, diluent: str
) -> dict[str, str]:
    """The allergens a stock contains by what it is made of, each with the reason why.

    A clinic can add allergens to a stock (a paraben preservative, say) but never remove
    these: unticking corn on D50 would hide a corn allergy from the screening.
    """
    found = {}
    if _positive(dextrose_percent):
        found[Allergen.CORN.value] = "it contains dextrose, which is derived from corn [R17]"
    if anaesthetic and anaesthetic != Anaesthetic.NONE:
        agent = dict(Anaesthetic.choices).get(anaesthetic, "an anaesthetic")
        if anaesthetic in ESTER_AGENTS:
            found[Allergen.ESTER_ANAESTHETIC.value] = (
                f"it contains {agent.lower()}, an ester local anaesthetic"
            )
        else:
            found[Allergen.AMIDE_ANAESTHETIC.value] = (
                f"it contains {agent.lower()}, an amide local anaesthetic"
            )
    if epinephrine:
        found[Allergen.SULFITE.value] = (
            "it contains epinephrine, whose forms contain sodium metabisulfite [R22]"
        )
    if diluent in BACTERIOSTATIC:
        found[Allergen.BENZYL_ALCOHOL.value] = (
            "it is a bacteriostatic diluent, preserved with benzyl alcohol [R26][R27]"
        )
    return found


def _num(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.001')).normalize():f}"


def _positive(value: object) -> bool:
    """Whether a strength is above 0; a value that is no number (refused later) is not."""
    try:
        return Decimal(str(value or 0)) > 0
    except (InvalidOperation, ValueError):
        return False


class StockProduct(models.Model):
    """A vial or bag on the clinic's shelf, with its strength and what it contains."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="stocks")
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=20, choices=StockKind.choices)
    dextrose_percent = models.DecimalField(
        "dextrose (%)",
        max_digits=4,
        decimal_places=1,
        default=Decimal(0),
        validators=[MinValueValidator(0), MaxValueValidator(70)],
    )
    anaesthetic = models.CharField(
        max_length=20, choices=Anaesthetic.choices, default=Anaesthetic.NONE
    )
    anaesthetic_percent = models.DecimalField(
        "anaesthetic (%)",
        max_digits=4,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(0), MaxValueValidator(10)],
    )
    epinephrine = models.BooleanField(default=False)
    epinephrine_ratio = models.PositiveIntegerField(
        "epinephrine strength, 1:",
        null=True,
        blank=True,
        validators=[MinValueValidator(1_000), MaxValueValidator(10_000_000)],
        help_text="As on the vial: 100000 for 1:100,000 (10 µg/mL), 200000 for 1:200,000.",
    )
    # Actives other than dextrose and the anaesthetic, % w/v: [{"name": "phenol", "percent":
    # "2.5"}]. A sclerosant's strength lives here (sodium morrhuate 5%, P2G's phenol/glycerin).
    actives = models.JSONField(default=list, blank=True)
    diluent = models.CharField(
        "which diluent",
        max_length=30,
        choices=Diluent.choices,
        default=Diluent.NONE,
        help_text="For a diluent stock: what an injection from it records as its diluent.",
    )
    osmolarity = models.PositiveIntegerField(
        "osmolarity (mOsm/L)",
        default=0,
        help_text="From the label; used for the estimated osmolarity of a mix.",
    )
    allergens = models.JSONField(default=list, blank=True)
    high_risk = models.BooleanField(default=False)
    notes = models.CharField(max_length=300, blank=True)
    source = models.CharField(max_length=200, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["kind", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "name"], name="stock_name_unique"),
            models.CheckConstraint(
                condition=Q(anaesthetic="none", anaesthetic_percent=0)
                | (~Q(anaesthetic="none") & Q(anaesthetic_percent__gt=0)),
                name="stock_anaesthetic_consistent",
                violation_error_code="anaesthetic_percent",
                violation_error_message="Anaesthetic (%%): give a strength above 0 for an anaesthetic stock, and 0 otherwise.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def benzyl_alcohol(self) -> bool:
        return Allergen.BENZYL_ALCOHOL in self.allergens

    @property
    def strength(self) -> str:
        """Every active with its strength: "Lidocaine 1%, epinephrine 1:100,000 (10 µg/mL)"."""
        parts = []
        if self.dextrose_percent:
            parts.append(f"{_num(self.dextrose_percent)}% dextrose")
        if self.anaesthetic != Anaesthetic.NONE:
            parts.append(f"{self.get_anaesthetic_display()} {_num(self.anaesthetic_percent)}%")
        if self.epinephrine:
            parts.append(
                f"epinephrine 1:{self.epinephrine_ratio:,} "
                f"({_num(Decimal(1_000_000) / self.epinephrine_ratio)} µg/mL)"
                if self.epinephrine_ratio
                else "epinephrine of unrecorded strength"
            )
        parts += [f"{a['name']} {a['percent']}%" for a in self.actives or []]
        return ", ".join(parts)

    @property
    def fixed_allergens(self) -> list[tuple[str, str]]:
        """(label, reason) of each allergen its composition gives it, which stays ticked."""
        found = composition_allergens(
            dextrose_percent=self.dextrose_percent,
            anaesthetic=self.anaesthetic,
            epinephrine=self.epinephrine,
            diluent=self.diluent,
        )
        return [(str(Allergen(a).label), reason) for a, reason in found.items()]


class AnaestheticLimit(models.Model):
    """A clinic's maximum dose for one agent, with and without epinephrine, and its source."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="anaesthetic_limits")
    agent = models.CharField(max_length=20, choices=Anaesthetic.choices)
    mg_per_kg = models.DecimalField(max_digits=4, decimal_places=2)
    cap_mg = models.PositiveIntegerField(null=True, blank=True)
    mg_per_kg_epinephrine = models.DecimalField(
        max_digits=4, decimal_places=2, null=True, blank=True
    )
    cap_mg_epinephrine = models.PositiveIntegerField(null=True, blank=True)
    source = models.CharField(max_length=300)
    verified = models.BooleanField(
        default=False, help_text="Confirmed against the product label by a clinician."
    )

    class Meta:
        ordering = ["agent"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "agent"], name="one_limit_per_agent"),
        ]

    def __str__(self) -> str:
        return f"{self.get_agent_display()} limit"


class Syringe(models.Model):
    """A syringe drawn up in a session: its recipe, and the solution its injections reference."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    session = models.ForeignKey(TreatmentSession, on_delete=models.CASCADE, related_name="syringes")
    label = models.CharField(max_length=40)
    final_volume_ml = models.DecimalField(max_digits=5, decimal_places=2)
    dextrose_percent = models.DecimalField(max_digits=6, decimal_places=3)
    # Per agent: {"lidocaine": {"percent": "0.5", "epinephrine": false}}
    anaesthetics = models.JSONField(default=dict, blank=True)
    benzyl_alcohol = models.BooleanField(default=False)
    osmolarity = models.PositiveIntegerField(default=0)
    # What the osmolarity estimate leaves out (then a lower bound): stocks without a label value.
    osmolarity_not_counted = models.JSONField(default=list, blank=True)
    # Epinephrine in the syringe (µg/mL); null when none of its stocks has any, or when the
    # strength of one is not recorded.
    epinephrine_ug_per_ml = models.DecimalField(
        max_digits=8, decimal_places=3, null=True, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "label"], name="syringe_label_unique"),
        ]

    def __str__(self) -> str:
        return self.label


class SyringeIngredient(models.Model):
    syringe = models.ForeignKey(Syringe, on_delete=models.CASCADE, related_name="ingredients")
    stock = models.ForeignKey(StockProduct, on_delete=models.PROTECT, related_name="+")
    volume_ml = models.DecimalField(max_digits=5, decimal_places=2)
    lot = models.CharField(max_length=60, blank=True)

    class Meta:
        ordering = ["id"]


class Screening(models.Model):
    """One run of the contraindication rules, with the answers it used and what it found."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    course = models.ForeignKey(TreatmentCourse, on_delete=models.CASCADE, related_name="screenings")
    session = models.ForeignKey(
        TreatmentSession,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="screenings",
    )
    answers = models.JSONField(default=dict, blank=True)
    # [{"rule": id, "severity": "absolute"|"relative", "text": ..., "detail": ...}]
    findings = models.JSONField(default=list, blank=True)
    acknowledgement = models.TextField(blank=True)
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    screened_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-screened_at", "-id"]

    @property
    def blocked(self) -> bool:
        return any(f["severity"] == "absolute" for f in self.findings)


class ProtocolTemplate(OutcomeSchedule):
    """A clinic's course template, copied from the published-protocol library and editable."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="protocols")
    key = models.SlugField(max_length=60, help_text="The library protocol it was copied from.")
    name = models.CharField(max_length=160)
    condition = models.CharField(max_length=160)
    course_type = models.CharField(max_length=20, choices=CourseType.choices)
    target_region = models.CharField(max_length=20, choices=Region.choices)
    session_weeks = models.JSONField(help_text="Week of each session, the first being 0.")
    optional_weeks = models.JSONField(default=list, blank=True)
    # [{"site_code", "structure", "volume_ml", "dextrose_percent", "anaesthetic",
    #   "anaesthetic_percent", "count", "note"}]
    injections = models.JSONField(default=list, blank=True)
    max_session_volume_ml = models.DecimalField(
        max_digits=5, decimal_places=1, null=True, blank=True
    )
    citation = models.TextField()
    evidence = models.TextField(blank=True)
    unverified = models.TextField(blank=True, help_text="Parts of the protocol not confirmed.")
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "name"], name="protocol_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name
