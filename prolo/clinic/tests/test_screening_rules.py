"""The contraindication rules, one by one, on the pure `screen` function: no database."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from prolo.clinic.models.safety import composition_allergens
from prolo.clinic.safety.screening import (
    CATEGORY_ALLERGENS,
    RULES,
    AllergyFact,
    Answers,
    Medicine,
    NsaidHold,
    PatientFacts,
    ScreeningContext,
    Severity,
    StockFacts,
    Thresholds,
    _stock_allergies,
    hand_entered_ingredients,
    screen,
    stock_findings,
)

TODAY = dt.date(2025, 6, 15)
D50 = StockFacts("Dextrose 50% (D50)", frozenset({"corn"}))
LIDOCAINE = StockFacts(
    "Lidocaine 1% (multi-dose vial)", frozenset({"amide_anaesthetic", "paraben"})
)
SALINE = StockFacts("0.9% sodium chloride")
BACTERIOSTATIC = StockFacts("Bacteriostatic 0.9% sodium chloride", frozenset({"benzyl_alcohol"}))
MORRHUATE = StockFacts("Sodium morrhuate 5%", frozenset({"fish"}), high_risk=True)
PRP = StockFacts("Autologous PRP")


def context(**overrides: object) -> ScreeningContext:
    """A healthy adult planned a knee dextrose course with D50, lidocaine and saline."""
    base = ScreeningContext(
        today=TODAY,
        patient=PatientFacts(date_of_birth=dt.date(1961, 4, 12), pregnancy="not_applicable"),
        course_type="dextrose",
        stocks=(D50, LIDOCAINE, SALINE),
        site_codes=frozenset({"knee-mcl", "knee-ia"}),
    )
    return dataclasses.replace(base, **overrides)  # type: ignore[arg-type]


def patient(**overrides: object) -> PatientFacts:
    return dataclasses.replace(context().patient, **overrides)  # type: ignore[arg-type]


def answers(**overrides: object) -> Answers:
    return dataclasses.replace(Answers(), **overrides)  # type: ignore[arg-type]


def rules_found(ctx: ScreeningContext) -> set[str]:
    return {f.rule for f in screen(ctx)}


def test_a_healthy_adult_with_a_knee_dextrose_plan_has_no_findings():
    assert screen(context()) == []


def test_every_rule_has_an_id_text_severity_rationale_and_a_source():
    ids = [rule.id for rule in RULES]
    assert len(ids) == len(set(ids))
    for rule in RULES:
        assert all((rule.text, rule.rationale, rule.sources)), rule.id
        assert rule.severity in (Severity.ABSOLUTE, Severity.RELATIVE)


# Each rule: a context that triggers it (and only it), and its severity.
POSITIVE = {
    "local-infection": (context(answers=answers(local_infection=True)), Severity.ABSOLUTE),
    "systemic-infection": (context(answers=answers(systemic_infection=True)), Severity.ABSOLUTE),
    "ingredient-allergy": (
        context(allergies=(AllergyFact("Corn syrup", "corn_dextrose"),)),
        Severity.ABSOLUTE,
    ),
    "benzyl-alcohol-spinal": (
        context(stocks=(D50, BACTERIOSTATIC), site_codes=frozenset({"lumbar-facet"})),
        Severity.ABSOLUTE,
    ),
    "prp-platelet-disorder": (
        context(
            course_type="prp",
            stocks=(PRP,),
            answers=answers(haemoglobin=Decimal("13.0"), platelets=250, platelet_disorder=True),
        ),
        Severity.ABSOLUTE,
    ),
    "latex-allergy": (context(allergies=(AllergyFact("Latex", "latex"),)), Severity.RELATIVE),
    "other-allergy": (context(allergies=(AllergyFact("Penicillin", "other"),)), Severity.RELATIVE),
    "antiseptic-allergy": (
        context(allergies=(AllergyFact("Chlorhexidine", "antiseptic"),)),
        Severity.RELATIVE,
    ),
    "bleeding-risk": (
        context(medications=(Medicine("Apixaban", "anticoagulant"),)),
        Severity.RELATIVE,
    ),
    "pregnancy": (context(patient=patient(pregnancy="pregnant")), Severity.RELATIVE),
    "uncontrolled-diabetes": (
        context(patient=patient(diabetes="uncontrolled")),
        Severity.RELATIVE,
    ),
    "immunosuppression": (context(patient=patient(immunosuppressed=True)), Severity.RELATIVE),
    "inflammatory-flare": (
        context(answers=answers(inflammatory_flare=True)),
        Severity.RELATIVE,
    ),
    "recent-site-steroid": (
        context(answers=answers(site_steroid_on=TODAY - dt.timedelta(days=10))),
        Severity.RELATIVE,
    ),
    "under-18": (context(patient=patient(date_of_birth=dt.date(2010, 1, 1))), Severity.RELATIVE),
    "prp-labs": (
        context(
            course_type="prp",
            stocks=(PRP,),
            answers=answers(haemoglobin=Decimal("8.5"), platelets=250),
        ),
        Severity.RELATIVE,
    ),
    "prp-labs-missing": (context(course_type="prp", stocks=(PRP,)), Severity.RELATIVE),
    "high-risk-stock": (context(stocks=(D50, MORRHUATE, SALINE)), Severity.RELATIVE),
    "nsaid-hold": (
        context(nsaid_hold=NsaidHold(session_day=TODAY, stopped_on=TODAY, stop_days=3)),
        Severity.RELATIVE,
    ),
}


def test_every_rule_is_tested_here():
    assert set(POSITIVE) == {rule.id for rule in RULES}


@pytest.mark.parametrize("rule", POSITIVE)
def test_each_rule_finds_its_case_with_its_severity(rule):
    ctx, severity = POSITIVE[rule]

    findings = screen(ctx)

    assert [(f.rule, f.severity) for f in findings] == [(rule, severity)]
    assert findings[0].detail


# Each rule: a near miss that must not trigger it.
NEGATIVE = {
    "local-infection": context(answers=answers(local_infection=False)),
    "systemic-infection": context(answers=answers(systemic_infection=False)),
    "ingredient-allergy": context(
        allergies=(AllergyFact("Corn syrup", "corn_dextrose"),),
        course_type="prp",
        stocks=(PRP,),
        answers=answers(haemoglobin=Decimal("13.0"), platelets=250),
    ),
    "benzyl-alcohol-spinal": context(
        stocks=(D50, BACTERIOSTATIC), site_codes=frozenset({"knee-mcl", "si-posterior"})
    ),
    "prp-platelet-disorder": context(answers=answers(platelet_disorder=True)),  # not PRP
    "latex-allergy": context(allergies=(AllergyFact("Plasters", "other"),)),
    "other-allergy": context(allergies=(AllergyFact("Chlorhexidine", "antiseptic"),)),
    "antiseptic-allergy": context(allergies=(AllergyFact("Plasters", "other"),)),
    "bleeding-risk": context(
        medications=(Medicine("Ibuprofen", "nsaid"), Medicine("Ramipril", "other"))
    ),
    "pregnancy": context(patient=patient(pregnancy="not_pregnant")),
    "uncontrolled-diabetes": context(patient=patient(diabetes="controlled")),
    "immunosuppression": context(medications=(Medicine("Paracetamol", "other"),)),
    "inflammatory-flare": context(answers=answers(inflammatory_flare=False)),
    "recent-site-steroid": context(answers=answers(site_steroid_on=TODAY - dt.timedelta(days=60))),
    "under-18": context(patient=patient(date_of_birth=dt.date(2007, 6, 15))),
    "prp-labs": context(
        course_type="prp",
        stocks=(PRP,),
        answers=answers(haemoglobin=Decimal("12.0"), platelets=180),
    ),
    "prp-labs-missing": context(answers=answers()),  # a dextrose course needs no blood count
    "high-risk-stock": context(stocks=(D50, LIDOCAINE, SALINE)),
    "nsaid-hold": context(
        nsaid_hold=NsaidHold(session_day=TODAY, stopped_on=TODAY - dt.timedelta(days=3)),
        medications=(Medicine("Ibuprofen", "nsaid"),),
    ),
}


def test_every_rule_has_a_near_miss_here():
    assert set(NEGATIVE) == {rule.id for rule in RULES}


@pytest.mark.parametrize("rule", NEGATIVE)
def test_each_rule_ignores_its_near_miss(rule):
    assert rule not in rules_found(NEGATIVE[rule])


# Anti-inflammatories against the clinic's hold before the session (domain notes §6).


def _hold(**overrides: object) -> list[str]:
    hold = dataclasses.replace(NsaidHold(session_day=TODAY), **overrides)  # type: ignore[arg-type]
    meds = (Medicine("Naproxen", "nsaid"),)
    return [f.detail for f in screen(context(nsaid_hold=hold, medications=meds))]


def test_anti_inflammatories_stopped_on_the_session_day_are_a_caution_naming_the_hold():
    assert _hold(stopped_on=TODAY, stop_days=3) == [
        "Stopped on 15 Jun 2025, 0 days before the session on 15 Jun 2025; the clinic stops "
        "them 3 days before (clinic setting)."
    ]


@pytest.mark.parametrize(("days_before", "found"), [(1, True), (2, True), (3, False), (9, False)])
def test_the_hold_is_counted_in_days_before_the_session(days_before, found):
    stopped = TODAY - dt.timedelta(days=days_before)
    assert bool(_hold(stopped_on=stopped, stop_days=3)) is found


def test_the_hold_follows_the_clinic_setting():
    stopped = TODAY - dt.timedelta(days=5)
    assert _hold(stopped_on=stopped, stop_days=5) == []
    assert _hold(stopped_on=stopped, stop_days=7)


def test_stopping_after_the_session_day_is_a_caution():
    (detail,) = _hold(session_day=TODAY - dt.timedelta(days=2), stopped_on=TODAY)
    assert "after the session on 13 Jun 2025" in detail


def test_an_nsaid_on_the_medication_list_with_no_stop_recorded_is_a_caution():
    (detail,) = _hold(takes_none=True)
    assert detail == (
        "On the current medication list: Naproxen (NSAID); the checklist says the patient takes "
        "none; the clinic stops them 3 days before (clinic setting)."
    )
    assert "no stop recorded" in _hold()[0]


def test_no_nsaid_listed_and_none_taken_is_no_finding():
    hold = NsaidHold(session_day=TODAY, takes_none=True)
    assert screen(context(nsaid_hold=hold)) == []


def test_a_course_being_planned_has_no_hold_to_check():
    assert screen(context(medications=(Medicine("Naproxen", "nsaid"),))) == []


# Allergies, through the catalogue's allergen links.


@pytest.mark.parametrize(
    ("category", "stock"),
    [
        ("corn_dextrose", D50),
        ("fish_morrhuate", MORRHUATE),
        ("local_anaesthetic", LIDOCAINE),
        ("preservative", LIDOCAINE),  # the multi-dose vial's paraben
        ("preservative", BACTERIOSTATIC),  # benzyl alcohol
        ("preservative", StockFacts("Lidocaine 1% with epinephrine", frozenset({"sulfite"}))),
    ],
)
def test_an_allergy_matching_a_planned_stock_is_absolute(category, stock):
    ctx = context(stocks=(stock,), allergies=(AllergyFact("Recorded", category),))

    findings = [f for f in screen(ctx) if f.rule == "ingredient-allergy"]

    assert [f.severity for f in findings] == [Severity.ABSOLUTE]
    assert stock.name in findings[0].detail


def test_a_corn_allergy_block_names_the_allergy_and_the_dextrose_stock():
    ctx = context(allergies=(AllergyFact("Corn syrup", "corn_dextrose", "Corn / dextrose"),))

    (finding,) = screen(ctx)

    assert finding.text == "Allergy to an ingredient of the planned solutions"
    assert finding.detail == (
        "Corn syrup (Corn / dextrose): Dextrose 50% (D50) contains corn (dextrose is made from "
        "corn)."
    )


def test_an_anaesthetic_allergy_is_not_a_block_when_no_anaesthetic_is_planned():
    ctx = context(stocks=(D50, SALINE), allergies=(AllergyFact("Lidocaine", "local_anaesthetic"),))

    assert screen(ctx) == []


@pytest.mark.parametrize("category", ["latex", "antiseptic"])
def test_latex_and_antiseptic_allergies_are_cautions_not_blocks(category):
    findings = screen(context(allergies=(AllergyFact("Recorded", category),)))

    assert [f.severity for f in findings] == [Severity.RELATIVE]


# Allergies filed under "Other": a caution, and a block when the text names an ingredient.

BUPIVACAINE = StockFacts("Bupivacaine 0.5%", frozenset({"amide_anaesthetic"}))


def _other(substance: str) -> AllergyFact:
    return AllergyFact(substance, "other", "Other")


@pytest.mark.parametrize(
    ("substance", "stock"),
    [
        ("Lidocaine", LIDOCAINE),
        ("LIGNOCAINE (dental block)", LIDOCAINE),
        ("bupivacaine hydrochloride", BUPIVACAINE),
        ("Dextrose", D50),
        ("Corn starch", D50),
        ("Sodium chloride", SALINE),  # words of the stock's name
        ("Bacteriostatic 0.9% sodium chloride", BACTERIOSTATIC),  # the stock's whole name
    ],
)
def test_an_other_allergy_naming_an_ingredient_is_absolute(substance, stock):
    findings = screen(context(stocks=(stock,), allergies=(_other(substance),)))

    assert [(f.rule, f.severity) for f in findings] == [
        ("ingredient-allergy", Severity.ABSOLUTE),
        ("other-allergy", Severity.RELATIVE),
    ]
    assert findings[0].detail.startswith(f"{substance} (Other): ")
    assert stock.name in findings[0].detail
    assert findings[1].detail == f"Recorded: {substance}."


@pytest.mark.parametrize(
    ("substance", "stock"),
    [
        ("Penicillin", D50),
        ("Cornflower pollen", D50),  # a whole word only: "corn" is not in it
        ("Lidocaine", SALINE),  # names an anaesthetic, none is planned
        ("1%", LIDOCAINE),  # numbers alone name nothing
        ("The", StockFacts("Dextrose (the course type)", frozenset({"corn"}))),
    ],
)
def test_an_other_allergy_naming_no_planned_ingredient_is_only_a_caution(substance, stock):
    findings = screen(context(stocks=(stock,), allergies=(_other(substance),)))

    assert [(f.rule, f.severity) for f in findings] == [("other-allergy", Severity.RELATIVE)]


def test_an_other_allergy_is_listed_by_its_text():
    (finding,) = screen(context(allergies=(_other("Elastoplast"),)))

    assert finding.text == "Allergy recorded as 'Other': check it against the planned solutions"
    assert finding.detail == "Recorded: Elastoplast."


# What one syringe or hand-entered injection holds, screened as it is recorded.


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (
            ("25", "none", "0", "saline"),
            [
                ("dextrose_percent", "Hand-entered dextrose 25%", {"corn"}),
                ("diluent", "Hand-entered 0.9% saline", set()),
            ],
        ),
        (
            ("0", "lidocaine", "1.00", "none"),
            [("anaesthetic", "Hand-entered lidocaine 1%", {"amide_anaesthetic"})],
        ),
        (
            ("12.5", "ropivacaine", "0.2", "bacteriostatic_water"),
            [
                ("dextrose_percent", "Hand-entered dextrose 12.5%", {"corn"}),
                ("anaesthetic", "Hand-entered ropivacaine 0.2%", {"amide_anaesthetic"}),
                (
                    "diluent",
                    "Hand-entered bacteriostatic water (benzyl alcohol)",
                    {"benzyl_alcohol"},
                ),
            ],
        ),
        (
            ("0", "procaine", "1", "none"),
            [("anaesthetic", "Hand-entered procaine 1%", {"ester_anaesthetic"})],
        ),
        (("not a number", "laughing gas", None, ["saline"]), []),
    ],
)
def test_a_hand_entered_injection_is_read_as_its_ingredients(fields, expected):
    dextrose, agent, strength, diluent = fields

    ingredients = hand_entered_ingredients(
        dextrose_percent=dextrose, anaesthetic=agent, anaesthetic_percent=strength, diluent=diluent
    )

    assert [(name, f.name, set(f.allergens)) for name, f in ingredients] == expected


def test_procaine_is_screened_as_an_ester_and_a_local_anaesthetic_allergy_still_catches_it():
    """Procaine is an ester, not an amide: the finding must name its class, and an allergy
    filed as "local anaesthetic" (class unknown) still blocks it."""
    facts = composition_allergens(
        dextrose_percent=0, anaesthetic="procaine", epinephrine=False, diluent="none"
    )
    assert facts == {"ester_anaesthetic": "it contains procaine, an ester local anaesthetic"}
    assert "ester_anaesthetic" in CATEGORY_ALLERGENS["local_anaesthetic"]
    assert "amide_anaesthetic" in CATEGORY_ALLERGENS["local_anaesthetic"]


PROCAINE = StockFacts("Procaine 2%", frozenset({"ester_anaesthetic"}))


@pytest.mark.parametrize(
    ("substance", "procaine", "lidocaine"),
    [
        ("Benzocaine", True, False),  # an ester: cross-reacts within the class (PABA)
        ("tetracaine eye drops", True, False),
        ("PABA", True, False),
        ("Lignocaine", False, True),
        ("Mepivacaine", False, True),
        ("Novocain", True, False),
        ("Penicillin", False, False),
    ],
)
def test_an_other_allergy_is_screened_against_its_own_anaesthetic_class(
    substance, procaine, lidocaine
):
    allergy = [AllergyFact(substance, "other", "Other")]
    assert bool(_stock_allergies(allergy, PROCAINE)) is procaine
    assert bool(_stock_allergies(allergy, LIDOCAINE)) is lidocaine


def test_one_stocks_findings_name_each_allergy_it_breaks():
    allergies = (
        AllergyFact("Lidocaine", "local_anaesthetic", "Local anaesthetic"),
        AllergyFact("Parabens", "preservative", "Preservative"),
        AllergyFact("Corn", "corn_dextrose", "Corn / dextrose"),
    )

    findings = stock_findings(allergies, LIDOCAINE, site_codes={"knee-ia"})

    assert [(f.rule, f.severity, f.detail) for f in findings] == [
        (
            "ingredient-allergy",
            Severity.ABSOLUTE,
            "Lidocaine (Local anaesthetic): Lidocaine 1% (multi-dose vial) contains an amide "
            "local anaesthetic.",
        ),
        (
            "ingredient-allergy",
            Severity.ABSOLUTE,
            "Parabens (Preservative): Lidocaine 1% (multi-dose vial) contains a paraben "
            "preservative.",
        ),
    ]


def test_an_antiplatelet_and_a_bleeding_disorder_are_both_listed():
    ctx = context(
        medications=(Medicine("Clopidogrel", "antiplatelet"),),
        patient=patient(bleeding_disorder=True),
    )

    details = [f.detail for f in screen(ctx) if f.rule == "bleeding-risk"]

    assert details == ["Clopidogrel (antiplatelet).", "Bleeding disorder on the history."]


def test_systemic_steroids_count_as_immunosuppression():
    ctx = context(medications=(Medicine("Prednisolone", "systemic_steroid"),))

    assert rules_found(ctx) == {"immunosuppression"}


@pytest.mark.parametrize(("site", "found"), [("lumbar-facet", True), ("si-posterior", False)])
def test_one_stocks_findings_include_benzyl_alcohol_at_a_planned_spinal_site(site, found):
    findings = stock_findings((), BACTERIOSTATIC, site_codes={"knee-ia", site})

    assert [f.rule for f in findings] == (["benzyl-alcohol-spinal"] if found else [])


# Boundaries.


@pytest.mark.parametrize(
    ("born", "found"),
    [
        (dt.date(2007, 6, 16), True),  # 18 tomorrow: 17 today
        (dt.date(2007, 6, 15), False),  # 18th birthday today
        (dt.date(2007, 6, 14), False),
    ],
)
def test_under_18_turns_off_on_the_18th_birthday(born, found):
    ctx = context(patient=patient(date_of_birth=born))

    assert ("under-18" in rules_found(ctx)) is found


def test_a_birthday_on_29_february_counts_from_1_march_in_other_years():
    born = dt.date(2008, 2, 29)

    assert "under-18" in rules_found(
        context(today=dt.date(2026, 2, 28), patient=patient(date_of_birth=born))
    )
    assert "under-18" not in rules_found(
        context(today=dt.date(2026, 3, 1), patient=patient(date_of_birth=born))
    )


@pytest.mark.parametrize(
    ("days_ago", "weeks", "found"),
    [
        (0, 4, True),
        (27, 4, True),
        (28, 4, True),  # exactly 4 weeks ago still counts as within 4 weeks
        (29, 4, False),
        (42, 6, True),
        (43, 6, False),
        (0, 0, True),  # a clinic setting of 0 weeks: only an injection today counts
        (1, 0, False),
    ],
)
def test_a_site_steroid_counts_as_recent_within_the_clinics_weeks(days_ago, weeks, found):
    ctx = context(
        answers=answers(site_steroid_on=TODAY - dt.timedelta(days=days_ago)),
        thresholds=Thresholds(recent_steroid_weeks=weeks),
    )

    assert ("recent-site-steroid" in rules_found(ctx)) is found


def _prp(hb: str, platelets: int, **limits: object) -> ScreeningContext:
    return context(
        course_type="prp",
        stocks=(PRP,),
        answers=answers(haemoglobin=Decimal(hb), platelets=platelets),
        thresholds=dataclasses.replace(Thresholds(), **limits),  # type: ignore[arg-type]
    )


@pytest.mark.parametrize(
    ("hb", "platelets", "found"),
    [
        ("10.0", 100, False),  # exactly at both minimums
        ("9.9", 100, True),
        ("10.0", 99, True),
        ("15.2", 400, False),
    ],
)
def test_prp_labs_below_the_clinics_minimums_are_a_caution(hb, platelets, found):
    assert ("prp-labs" in rules_found(_prp(hb, platelets))) is found


def test_prp_minimums_are_the_clinics_settings():
    stricter = {"prp_min_haemoglobin": Decimal("11.0"), "prp_min_platelets": 150}

    findings = [f for f in screen(_prp("10.5", 120, **stricter)) if f.rule == "prp-labs"]

    assert [f.detail for f in findings] == [
        "Haemoglobin 10.5 g/dL is below the clinic's minimum of 11.0 g/dL.",
        "Platelets 120 ×10³/µL are below the clinic's minimum of 150 ×10³/µL.",
    ]


def test_prp_lab_answers_do_not_matter_for_a_dextrose_course():
    ctx = context(answers=answers(haemoglobin=Decimal("6.0"), platelets=20))

    assert screen(ctx) == []


# Benzyl alcohol and spinal sites.


@pytest.mark.parametrize(
    ("site", "found"),
    [
        ("lumbar-facet", True),
        ("caudal-epidural", True),
        ("cervical-facet", True),
        ("thoracic-costotransverse", True),
        ("knee-ia", False),
        ("si-posterior", False),
        ("chest-costochondral", False),
    ],
)
def test_benzyl_alcohol_is_blocked_only_at_spinal_sites(site, found):
    ctx = context(stocks=(D50, BACTERIOSTATIC), site_codes=frozenset({site}))

    assert ("benzyl-alcohol-spinal" in rules_found(ctx)) is found


def test_a_spinal_site_without_benzyl_alcohol_is_fine():
    assert screen(context(site_codes=frozenset({"caudal-epidural"}))) == []


def test_benzyl_alcohol_already_injected_at_an_uncoded_site_is_found():
    (finding,) = screen(context(benzyl_alcohol_sites=frozenset({"other"})))

    assert (finding.rule, finding.severity) == ("benzyl-alcohol-spinal", Severity.ABSOLUTE)
    assert "uncoded site ('Other site')" in finding.detail


def test_benzyl_alcohol_already_injected_at_a_spinal_site_is_found():
    ctx = context(benzyl_alcohol_sites=frozenset({"lumbar-interspinous"}))

    (finding,) = screen(ctx)

    assert finding.rule == "benzyl-alcohol-spinal"
    assert "Lumbar interspinous / supraspinous ligaments" in finding.detail


# The result as a whole.


def test_absolute_findings_come_first_whatever_the_rule_order():
    ctx = context(
        medications=(Medicine("Warfarin", "anticoagulant"),),
        answers=answers(systemic_infection=True),
        patient=patient(pregnancy="pregnant"),
    )

    assert [f.severity for f in screen(ctx)] == [
        Severity.ABSOLUTE,
        Severity.RELATIVE,
        Severity.RELATIVE,
    ]


def test_a_finding_is_stored_with_its_rule_severity_text_detail_and_sources():
    (finding,) = screen(context(answers=answers(local_infection=True)))

    assert finding.as_dict() == {
        "rule": "local-infection",
        "severity": "absolute",
        "text": "Active infection at or near the injection site",
        "detail": "Reported at today's screening.",
        "source": "[R109] [R110] [R105]",
    }
