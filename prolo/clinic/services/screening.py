"""Contraindication screening of a course or session: build the facts, record, enforce.

`screening_run` records one Screening (audited) and refuses what the findings forbid: an
absolute finding always, a relative one unless a physician gave a reason for proceeding.
`course_plan` calls it inside its transaction, so a blocked plan saves nothing.
`checklist_screening` is the session checklist's version: it keeps what a nurse screened and
leaves the checklist incomplete until a physician acknowledges. Drawing up a syringe and
recording an injection refuse an ingredient the patient is allergic to, and `sign_blockers`
runs the rules again on the record as it is at signing. docs/screening.md explains the rules
and the acknowledgement.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from prolo.clinic.clock import clinic_day, clinic_today
from prolo.clinic.models import (
    AllergyCategory,
    AuditAction,
    Checklist,
    Clinic,
    ClinicSettings,
    Injection,
    Patient,
    Screening,
    StockKind,
    StockProduct,
    Syringe,
    SyringeIngredient,
    TreatmentCourse,
    TreatmentSession,
)
from prolo.clinic.permissions import Actor, Perm
from prolo.clinic.safety.careplan import nsaid_stop_days
from prolo.clinic.safety.screening import (
    BENZYL_ALCOHOL_DILUENTS,
    AllergyFact,
    Answers,
    Medicine,
    NsaidHold,
    PatientFacts,
    ScreeningContext,
    Severity,
    StockFacts,
    Thresholds,
    hand_entered_ingredients,
    screen,
    stock_findings,
)
from prolo.clinic.services.audit import audit_log, create_audited
from prolo.clinic.services.fields import pick
from prolo.clinic.services.settings import settings_for
from prolo.clinic.sites import SITES

ANSWER_FIELDS = (
    "local_infection",
    "systemic_infection",
    "inflammatory_flare",
    "site_steroid_on",
    "haemoglobin",
    "platelets",
    "platelet_disorder",
)
PRP_ANSWERS = ("haemoglobin", "platelets", "platelet_disorder")
# Bounds that catch typing slips (a haemoglobin of 105, platelets in /µL), not clinical limits.
HAEMOGLOBIN_RANGE = (Decimal("1.0"), Decimal("25.0"))
PLATELETS_RANGE = (1, 2000)


# The stocks a course is screened against when it plans none: what the clinic would usually
# draw up for that course type (docs/screening.md). Every active stock of those kinds counts,
# so an allergy to any of them shows; plan the exact stocks to narrow it.
def _hyperosmolar_dextrose(stock: StockProduct) -> bool:
    return stock.kind == StockKind.DEXTROSE and stock.dextrose_percent > 5


def _d5w(stock: StockProduct) -> bool:
    return stock.kind == StockKind.DEXTROSE and stock.dextrose_percent == 5


def _anaesthetic(stock: StockProduct) -> bool:
    return stock.kind == StockKind.ANAESTHETIC


def _preservative_free_diluent(stock: StockProduct) -> bool:
    return stock.kind == StockKind.DILUENT and not stock.benzyl_alcohol


def _biologic(stock: StockProduct) -> bool:
    return stock.kind == StockKind.BIOLOGIC


DEFAULT_STOCKS: dict[str, tuple[Callable[[StockProduct], bool], ...]] = {
    "dextrose": (_hyperosmolar_dextrose, _anaesthetic, _preservative_free_diluent),
    "perineural": (_d5w,),
    "prp": (_biologic,),
    "saline": (_preservative_free_diluent, _anaesthetic),
    "other": (),
}

# What the course type itself is made of, screened whatever the stocks say: dextrose is
# derived from corn [R17].
_DEXTROSE = StockFacts("Dextrose (the course type)", frozenset({"corn"}))
COURSE_TYPE_INGREDIENTS: dict[str, tuple[StockFacts, ...]] = {
    "dextrose": (_DEXTROSE,),
    "perineural": (_DEXTROSE,),
}
# When the clinic has no stock of the kind in its catalogue, the usual ingredient is assumed:
# every prolotherapy syringe carries local anaesthetic (domain notes §3).
_ANAESTHETIC = StockFacts(
    "Local anaesthetic (assumed: no anaesthetic stock in the catalogue)",
    frozenset({"amide_anaesthetic"}),
)
ASSUMED_WITHOUT_STOCKS: dict[str, tuple[StockFacts, ...]] = {
    "dextrose": (_ANAESTHETIC,),
    "saline": (_ANAESTHETIC,),
}

# Course regions → the groups of the coded sites (sites.py) a course there may inject. A course
# with no known sites is screened against every site of its region; "other" could be anywhere.
REGION_SITE_GROUPS: dict[str, tuple[str, ...]] = {
    "knee": ("Knee",),
    "hip": ("Hip",),
    "shoulder": ("Shoulder",),
    "elbow": ("Elbow",),
    "wrist_hand": ("Wrist and hand",),
    "ankle_foot": ("Ankle and foot",),
    "lumbar_si": ("Spine and pelvis",),
    "cervical": ("Neck and thorax",),
    "thoracic": ("Neck and thorax",),
    "tmj": ("Jaw",),
}


ACKNOWLEDGE_ONLY_PHYSICIANS = (
    "Only a physician can acknowledge cautions. Leave this empty: the checklist stays open "
    "until a physician gives the reason for proceeding."
)


def default_stocks(clinic: Clinic, course_type: str) -> list[StockProduct]:
    """The clinic's active stocks a course of this type is screened against when it plans none."""
    wanted = DEFAULT_STOCKS.get(course_type, ())
    if not wanted:
        return []
    stocks = StockProduct.objects.filter(clinic=clinic, active=True)
    return [s for s in stocks if any(matches(s) for matches in wanted)]


def screened_stocks(
    course: TreatmentCourse, session: TreatmentSession | None = None
) -> tuple[list[StockProduct], bool]:
    """The stocks to screen, and whether the course chose them (rather than the defaults).

    The course's planned stocks, or the clinic's usual ones for its type; for a session, the
    stocks of the syringes drawn up in it too.
    """
    stocks = list(course.planned_stocks.all())
    chosen = bool(stocks)
    if not chosen:
        stocks = default_stocks(course.patient.clinic, course.course_type)
    if session is not None:
        drawn = SyringeIngredient.objects.filter(syringe__session=session).values("stock")
        stocks += [s for s in StockProduct.objects.filter(pk__in=drawn) if s not in stocks]
    return stocks, chosen


def stock_facts(stock: StockProduct) -> StockFacts:
    return StockFacts(stock.name, frozenset(str(a) for a in stock.allergens or ()), stock.high_risk)


def _stock_facts(
    course_type: str, stocks: list[StockProduct], chosen: bool
) -> tuple[StockFacts, ...]:
    facts = [stock_facts(s) for s in stocks]
    implied = [
        f
        for f in COURSE_TYPE_INGREDIENTS.get(course_type, ())
        if not any(f.allergens <= s.allergens for s in facts)
    ]
    assumed: tuple[StockFacts, ...] = ()
    if not chosen and not any(s.kind == StockKind.ANAESTHETIC for s in stocks):
        assumed = ASSUMED_WITHOUT_STOCKS.get(course_type, ())
    return (*implied, *facts, *assumed)


def planned_site_codes(course: TreatmentCourse) -> frozenset[str]:
    """The sites of the course's protocol template, else every coded site of its region."""
    protocol = course.protocol
    lines = protocol.injections if protocol is not None else []
    codes = {
        str(line["site_code"])
        for line in lines or ()
        if isinstance(line, dict) and line.get("site_code")
    }
    if codes:
        return frozenset(codes)
    groups = REGION_SITE_GROUPS.get(course.target_region)
    return frozenset(s.code for s in SITES if groups is None or s.region in groups)


def _injections(session: TreatmentSession | None) -> list[Injection]:
    if session is None:
        return []
    return list(Injection.objects.filter(note__session=session).select_related("syringe"))


def _benzyl_alcohol(injection: Injection) -> bool:
    syringe = injection.syringe
    return injection.diluent in BENZYL_ALCOHOL_DILUENTS or bool(syringe and syringe.benzyl_alcohol)


def _hand_entered(injection: Injection) -> list[tuple[str, StockFacts]]:
    """What an injection given without a syringe is made of (a syringe's stocks are screened)."""
    return hand_entered_ingredients(
        dextrose_percent=injection.dextrose_percent,
        anaesthetic=injection.anaesthetic,
        anaesthetic_percent=injection.anaesthetic_percent,
        diluent=injection.diluent,
    )


def _allergy_facts(patient: Patient) -> tuple[AllergyFact, ...]:
    return tuple(
        AllergyFact(a.substance, a.category, AllergyCategory(a.category).label)
        for a in patient.allergies.all()
    )


def screening_context(
    *,
    course: TreatmentCourse,
    answers: Answers,
    session: TreatmentSession | None = None,
    today: dt.date | None = None,
    checklist: Checklist | None = None,
) -> ScreeningContext:
    """Everything the rules read about this course (or session), from the record and answers.

    `checklist`: the session's checklist as it is being saved (its anti-inflammatory answers).
    """
    patient = course.patient
    limits = settings_for(patient.clinic)
    stocks, chosen = screened_stocks(course, session)
    injections = _injections(session)
    by_hand = [f for i in injections if i.syringe is None for _, f in _hand_entered(i)]
    return ScreeningContext(
        today=today or clinic_today(patient.clinic),
        patient=PatientFacts(
            date_of_birth=patient.date_of_birth,
            pregnancy=patient.pregnancy,
            diabetes=patient.diabetes,
            immunosuppressed=patient.immunosuppressed,
            bleeding_disorder=patient.bleeding_disorder,
        ),
        course_type=course.course_type,
        answers=answers,
        medications=tuple(
            Medicine(m.name, m.drug_class) for m in patient.medications.filter(active=True)
        ),
        allergies=_allergy_facts(patient),
        stocks=tuple(dict.fromkeys((*_stock_facts(course.course_type, stocks, chosen), *by_hand))),
        site_codes=planned_site_codes(course) | {i.site_code for i in injections},
        benzyl_alcohol_sites=frozenset(i.site_code for i in injections if _benzyl_alcohol(i)),
        thresholds=Thresholds(
            recent_steroid_weeks=limits.recent_steroid_weeks,
            prp_min_haemoglobin=limits.prp_min_haemoglobin,
            prp_min_platelets=limits.prp_min_platelets,
        ),
        nsaid_hold=_nsaid_hold(course, session, checklist, limits),
    )


def _nsaid_hold(
    course: TreatmentCourse,
    session: TreatmentSession | None,
    checklist: Checklist | None,
    limits: ClinicSettings,
) -> NsaidHold | None:
    if session is None or checklist is None:
        return None
    return NsaidHold(
        session_day=clinic_day(course.patient.clinic, session.scheduled_at),
        stopped_on=checklist.nsaids_stopped_on,
        takes_none=checklist.takes_no_nsaids,
        stop_days=nsaid_stop_days(limits, course.course_type == "prp"),
    )


# Answers: parsed from a form's cleaned data or any mapping; stored as JSON on the Screening.


def _yes(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in {"yes", "true", "on", "1"}
    return bool(value)


def _date(name: str, value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError({name: "Enter a valid date."}) from None


def _number(name: str, value: Any, bounds: tuple[Any, Any], message: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError({name: message}) from None
    if not number.is_finite() or not bounds[0] <= number <= bounds[1]:
        raise ValidationError({name: message})
    return number


def parse_answers(values: Mapping[str, Any] | None, *, course_type: str, today: dt.date) -> Answers:
    """The clinician's answers, checked; PRP answers count only for a PRP course."""
    given = pick(dict(values or {}), ANSWER_FIELDS)
    steroid_on = _date("site_steroid_on", given.get("site_steroid_on"))
    if steroid_on is not None and steroid_on > today:
        raise ValidationError(
            {"site_steroid_on": "The last steroid injection cannot be in the future."}
        )
    prp = course_type == "prp"
    haemoglobin = _number(
        "haemoglobin",
        given.get("haemoglobin"),
        HAEMOGLOBIN_RANGE,
        "Enter haemoglobin in g/dL, between 1.0 and 25.0.",
    )
    platelets = _number(
        "platelets",
        given.get("platelets"),
        PLATELETS_RANGE,
        "Enter platelets in thousands per microlitre (×10³/µL), a whole number from 1 to 2000.",
    )
    if platelets is not None and platelets != platelets.to_integral_value():
        raise ValidationError({"platelets": "Enter platelets as a whole number (×10³/µL)."})
    return Answers(
        local_infection=_yes(given.get("local_infection")),
        systemic_infection=_yes(given.get("systemic_infection")),
        inflammatory_flare=_yes(given.get("inflammatory_flare")),
        site_steroid_on=steroid_on,
        haemoglobin=haemoglobin.quantize(Decimal("0.1")) if prp and haemoglobin else None,
        platelets=int(platelets) if prp and platelets is not None else None,
        platelet_disorder=prp and _yes(given.get("platelet_disorder")),
    )


def answers_json(answers: Answers) -> dict[str, Any]:
    return {
        "local_infection": answers.local_infection,
        "systemic_infection": answers.systemic_infection,
        "inflammatory_flare": answers.inflammatory_flare,
        "site_steroid_on": answers.site_steroid_on.isoformat() if answers.site_steroid_on else None,
        "haemoglobin": str(answers.haemoglobin) if answers.haemoglobin is not None else None,
        "platelets": answers.platelets,
        "platelet_disorder": answers.platelet_disorder,
    }


# Recording and enforcing.


def can_acknowledge(actor: Actor) -> bool:
    """Physicians decide on relative contraindications: those who plan courses or sign notes."""
    return actor.can(Perm.PLAN_COURSE) or actor.can(Perm.SIGN_NOTE)


def _evaluate(
    actor: Actor,
    course: TreatmentCourse,
    session: TreatmentSession | None,
    answers: Mapping[str, Any] | None,
    acknowledgement: str,
    checklist: Checklist | None = None,
) -> Screening:
    """An unsaved Screening of the course (or session) with today's answers."""
    if not (actor.can(Perm.PLAN_COURSE) or actor.can(Perm.COMPLETE_CHECKLIST)):
        raise PermissionDenied(f"Your role ({actor.role_label}) may not screen patients.")
    if course.patient.clinic_id != actor.clinic.pk:
        raise PermissionDenied("This course belongs to another clinic.")
    today = clinic_today(actor.clinic)
    parsed = parse_answers(answers, course_type=course.course_type, today=today)
    reason = pick({"acknowledgement": acknowledgement or ""}, ["acknowledgement"])[
        "acknowledgement"
    ]
    if reason and not can_acknowledge(actor):
        raise ValidationError({"acknowledgement": ACKNOWLEDGE_ONLY_PHYSICIANS})
    context = screening_context(
        course=course, session=session, answers=parsed, today=today, checklist=checklist
    )
    findings = screen(context)
    cautions = any(f.severity == Severity.RELATIVE for f in findings)
    return Screening(
        course=course,
        session=session,
        answers=answers_json(parsed),
        findings=[f.as_dict() for f in findings],
        acknowledgement=reason if cautions else "",
        screened_by=actor.user,
    )


def _save(actor: Actor, screening: Screening) -> Screening:
    return create_audited(actor=actor, instance=screening, patient=screening.course.patient)


@transaction.atomic
def screening_record(
    *,
    actor: Actor,
    course: TreatmentCourse,
    session: TreatmentSession | None = None,
    answers: Mapping[str, Any] | None = None,
    acknowledgement: str = "",
) -> Screening:
    """Screen and record the result (audited) whatever it found; only bad input is refused."""
    return _save(actor, _evaluate(actor, course, session, answers, acknowledgement))


def absolute_findings(screening: Screening) -> list[dict[str, str]]:
    return [f for f in screening.findings if f.get("severity") == Severity.ABSOLUTE]


def relative_findings(screening: Screening) -> list[dict[str, str]]:
    return [f for f in screening.findings if f.get("severity") == Severity.RELATIVE]


def needs_acknowledgement(screening: Screening) -> bool:
    return bool(relative_findings(screening)) and not screening.acknowledgement


def _line(finding: Mapping[str, str]) -> str:
    detail = finding.get("detail", "")
    return f"{finding['text']}. {detail}".strip() if detail else f"{finding['text']}."


def block_messages(screening: Screening) -> list[str]:
    return [f"Contraindicated, do not inject: {_line(f)}" for f in absolute_findings(screening)]


def caution_message(screening: Screening) -> str:
    cautions = " ".join(_line(f) for f in relative_findings(screening))
    return f"Relative contraindications: {cautions}"


def enforce(screening: Screening, actor: Actor) -> None:
    """Refuse what the screening forbids: any absolute finding; cautions not acknowledged."""
    blocks = block_messages(screening)
    if blocks:
        raise ValidationError(blocks)
    if not needs_acknowledgement(screening):
        return
    ask = (
        "As the physician, give your reason for proceeding despite them."
        if can_acknowledge(actor)
        else "They need a physician's acknowledgement."
    )
    raise ValidationError({"acknowledgement": f"{caution_message(screening)} {ask}"})


@transaction.atomic
def screening_run(
    *,
    actor: Actor,
    course: TreatmentCourse,
    session: TreatmentSession | None = None,
    answers: Mapping[str, Any] | None = None,
    acknowledgement: str = "",
) -> Screening:
    """Screen, record (audited) and refuse: an absolute finding always; cautions unless a
    physician gave a reason. Raised inside the caller's transaction, nothing is kept."""
    screening = screening_record(
        actor=actor,
        course=course,
        session=session,
        answers=answers,
        acknowledgement=acknowledgement,
    )
    enforce(screening, actor)
    return screening


def course_stocks_plan(
    *, actor: Actor, course: TreatmentCourse, stocks: Iterable[StockProduct] | None
) -> None:
    """Record the stocks a course plans (audited); none means the clinic's usual ones."""
    chosen = list(stocks or ())
    if not chosen:
        return
    if any(s.clinic_id != actor.clinic.pk or not s.active for s in chosen):
        raise ValidationError(
            {"planned_stocks": "Choose active stocks of this clinic's catalogue."}
        )
    course.planned_stocks.set(chosen)
    audit_log(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=course,
        patient=course.patient,
        changes={"planned_stocks": [[], sorted(s.name for s in chosen)]},
    )


def checklist_screening(
    *,
    actor: Actor,
    session: TreatmentSession,
    answers: Mapping[str, Any] | None,
    acknowledgement: str = "",
    checklist: Checklist | None = None,
) -> bool:
    """Screen for the session's checklist; True when contraindications count as rechecked.

    `checklist` is the checklist with the answers being saved applied, so its
    anti-inflammatory stop date is screened against the clinic's hold.

    An absolute finding is recorded and keeps the checklist open (the session page shows
    why). Cautions without an acknowledgement refuse a physician's save, who can give the
    reason at once, and keep a nurse's save open until a physician does. Saving the same
    answers again reuses the last screening, so a nurse's later save keeps an acknowledgement.
    """
    fresh = _evaluate(actor, session.course, session, answers, acknowledgement, checklist)
    latest = Screening.objects.filter(session=session).first()
    unchanged = (
        latest is not None
        and not fresh.acknowledgement
        and (latest.answers, latest.findings) == (fresh.answers, fresh.findings)
    )
    screening = latest if unchanged and latest is not None else _save(actor, fresh)
    if screening.blocked:
        return False
    if needs_acknowledgement(screening):
        if can_acknowledge(actor):
            enforce(screening, actor)
        return False
    return True


def _given_answers(screening: Screening, course_type: str) -> Answers:
    """The answers a screening recorded. They were checked when given, so a steroid date that
    was in the past then is kept whatever today is."""
    return parse_answers(screening.answers, course_type=course_type, today=dt.date.max)


def sign_blockers(session: TreatmentSession) -> list[str]:
    """Why the session's note cannot be signed: the rules run again on the record as it is now.

    The checklist's last answers and anti-inflammatory stop date, with today's allergies,
    medicines and flags, the session's time, its syringes and the injections recorded. Any absolute finding blocks; a caution blocks unless
    the latest screening acknowledged its rule. A session never screened is caught by the
    checklist's own item, so only absolute findings are listed for it.
    """
    course = session.course
    latest = Screening.objects.filter(session=session).first()
    answers = _given_answers(latest, course.course_type) if latest else Answers()
    checklist = Checklist.objects.filter(session=session).first()
    context = screening_context(
        course=course, answers=answers, session=session, checklist=checklist
    )
    findings = [f.as_dict() for f in screen(context)]
    blockers = [f"Contraindicated, do not inject: {_line(f)}" for f in findings if _absolute(f)]
    if latest is None:
        return blockers
    screened = {f["rule"] for f in relative_findings(latest)}
    covered = screened if latest.acknowledgement else set()
    uncovered = [f for f in findings if not _absolute(f) and f["rule"] not in covered]
    if uncovered:
        blockers.append(
            _acknowledge_message(uncovered, new=any(f["rule"] not in screened for f in uncovered))
        )
    return blockers


def _absolute(finding: Mapping[str, str]) -> bool:
    return finding.get("severity") == Severity.ABSOLUTE


def _acknowledge_message(cautions: list[dict[str, str]], *, new: bool) -> str:
    lead = "Cautions found since the checklist was screened" if new else "The screening's cautions"
    lines = " ".join(_line(f) for f in cautions)
    return (
        f"{lead} need a physician's acknowledgement. Relative contraindications: {lines} "
        "A physician acknowledges them by saving the checklist again with the reason for "
        "going ahead."
    )


# Refusing a syringe or an injection as it is recorded: the rules about what is in it.


def _refuse_ingredients(
    patient: Patient,
    ingredients: Iterable[tuple[str, StockFacts]],
    site_codes: frozenset[str] = frozenset(),
) -> None:
    """Refuse, by the field that chose it, any ingredient the patient's allergies rule out
    (or that carries benzyl alcohol while `site_codes` include a spinal site)."""
    allergies = _allergy_facts(patient)
    errors: dict[str, list[str]] = {}
    for field, facts in ingredients:
        for finding in stock_findings(allergies, facts, site_codes):
            message = f"Contraindicated, do not inject: {_line(finding.as_dict())}"
            if message not in errors.get(field, []):
                errors.setdefault(field, []).append(message)
    if errors:
        raise ValidationError(errors)


def refuse_contraindicated_stocks(
    *, session: TreatmentSession, stocks: Iterable[tuple[str, StockProduct]]
) -> None:
    """For a syringe being drawn up: `stocks` pairs each stock used with the field that chose it.

    The course's planned sites count, as they do at the checklist and at signing."""
    course = session.course
    ingredients = [(name, stock_facts(s)) for name, s in stocks]
    _refuse_ingredients(course.patient, ingredients, planned_site_codes(course))


def refuse_contraindicated_injection(
    *, session: TreatmentSession, fields: Mapping[str, Any], syringe: Syringe | None = None
) -> None:
    """For an injection being recorded: its syringe's stocks, or what its fields say it holds."""
    if syringe is not None:
        rows = SyringeIngredient.objects.filter(syringe=syringe).select_related("stock")
        ingredients = [("syringe", stock_facts(row.stock)) for row in rows]
    else:
        ingredients = hand_entered_ingredients(
            dextrose_percent=fields.get("dextrose_percent"),
            anaesthetic=fields.get("anaesthetic"),
            anaesthetic_percent=fields.get("anaesthetic_percent"),
            diluent=fields.get("diluent"),
        )
    # The injection's own site: _refuse_benzyl_alcohol_at_spinal_site in services/sessions.py.
    _refuse_ingredients(session.course.patient, ingredients)


# Reading: what the chart and the session page show.


@dataclass(frozen=True)
class ScreeningResult:
    screening: Screening

    @property
    def findings(self) -> list[dict[str, str]]:
        return list(self.screening.findings)

    @property
    def blocked(self) -> bool:
        return self.screening.blocked

    @property
    def needs_acknowledgement(self) -> bool:
        return needs_acknowledgement(self.screening)

    @property
    def status_label(self) -> str:
        if self.blocked:
            return "Contraindicated: do not inject"
        if self.needs_acknowledgement:
            return "Cautions: needs a physician's acknowledgement"
        if self.screening.acknowledgement:
            return "Cautions acknowledged"
        return "No contraindication found"


def latest_results(courses: Iterable[TreatmentCourse]) -> list[ScreeningResult]:
    """The latest screening of each course given (one query), in the courses' order."""
    ids = [c.pk for c in courses]
    latest: dict[int, Screening] = {}
    for s in Screening.objects.filter(course_id__in=ids).select_related(
        "course", "session", "screened_by"
    ):
        latest.setdefault(s.course_id, s)
    return [ScreeningResult(latest[i]) for i in ids if i in latest]


def session_result(session: TreatmentSession) -> ScreeningResult | None:
    found = (
        Screening.objects.filter(session=session)
        .select_related("course", "session", "screened_by")
        .first()
    )
    return ScreeningResult(found) if found else None


def last_answers(session: TreatmentSession | int) -> dict[str, Any]:
    """The answers of the session's last screening, to prefill its checklist form."""
    found = Screening.objects.filter(session=session).values_list("answers", flat=True).first()
    return {k: v for k, v in (found or {}).items() if k in ANSWER_FIELDS}


def screening_page_context(actor: Actor, session: TreatmentSession) -> dict[str, Any]:
    """What the session page's checklist section needs for the screening."""
    return {
        "screening": session_result(session),
        "can_acknowledge": can_acknowledge(actor),
        "screening_limits": settings_for(session.course.patient.clinic),
    }


def checklist_problem(session: TreatmentSession) -> str | None:
    """What the latest screening says stops the checklist completing, for the page's message."""
    result = session_result(session)
    if result is None:
        return None
    if result.blocked:
        return " ".join(block_messages(result.screening)) + " The checklist cannot be completed."
    if result.needs_acknowledgement:
        return f"{caution_message(result.screening)} The checklist needs a physician's acknowledgement."
    return None
