"""Contraindication screening through the services: planning a course, the checklist, signing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from prolo.clinic.clock import clinic_today
from prolo.clinic.models import (
    AuditEvent,
    Checklist,
    Injection,
    Screening,
    StockProduct,
    Syringe,
    SyringeIngredient,
    TreatmentCourse,
)
from prolo.clinic.services.catalogue import clinic_safety_install
from prolo.clinic.services.patients import (
    allergy_add,
    medication_add,
    patient_history_update,
    patient_register,
)
from prolo.clinic.services.screening import (
    default_stocks,
    screening_record,
    screening_run,
    sign_blockers,
)
from prolo.clinic.services.sessions import checklist_save, note_sign
from prolo.clinic.services.settings import settings_for
from prolo.clinic.services.syringes import syringe_draw_up
from prolo.testing import (
    add_injection,
    complete_checklist,
    give_consent,
    make_course,
    make_evaluation,
    make_note,
)

REASON = "Discussed with the patient; apixaban continued with firm pressure at each site."


@pytest.fixture
def catalogue(clinic):
    clinic_safety_install(clinic=clinic)
    return {s.name: s for s in StockProduct.objects.filter(clinic=clinic)}


@pytest.fixture
def evaluation(alice_actor, pat):
    return make_evaluation(alice_actor, pat)


def _plan(actor, patient, evaluation, **overrides):
    course = make_course(actor, patient, evaluation, **overrides)
    give_consent(actor, course)  # so that signing the first session is blocked only by screening
    return course


def _on_apixaban(actor, patient):
    medication_add(
        actor=actor, patient=patient, name="Apixaban", dose="5 mg", drug_class="anticoagulant"
    )


# Planning a course: the "done when".


def test_a_corn_allergic_patient_cannot_be_planned_a_dextrose_course(
    alice_actor, pat, evaluation, catalogue
):
    allergy_add(actor=alice_actor, patient=pat, substance="Corn syrup", category="corn_dextrose")
    before = AuditEvent.objects.count()

    with pytest.raises(ValidationError) as exc:
        _plan(alice_actor, pat, evaluation)

    message = " ".join(exc.value.messages)
    assert "Contraindicated, do not inject: Allergy to an ingredient of the planned solutions." in (
        message
    )
    assert "Corn syrup (Corn / dextrose): Dextrose 50% (D50) contains corn" in message
    assert not TreatmentCourse.objects.exists()
    assert not Screening.objects.exists()
    assert AuditEvent.objects.count() == before


def test_the_corn_block_holds_in_a_clinic_without_a_catalogue(alice_actor, pat, evaluation):
    allergy_add(actor=alice_actor, patient=pat, substance="Maize", category="corn_dextrose")

    with pytest.raises(
        ValidationError, match=r"Maize .*Dextrose \(the course type\) contains corn"
    ):
        _plan(alice_actor, pat, evaluation)

    assert not TreatmentCourse.objects.exists()


def test_an_absolute_block_cannot_be_acknowledged_away(alice_actor, pat, evaluation, catalogue):
    allergy_add(actor=alice_actor, patient=pat, substance="Corn", category="corn_dextrose")

    with pytest.raises(ValidationError, match="Allergy to an ingredient"):
        _plan(alice_actor, pat, evaluation, acknowledgement="I accept the risk.")

    assert not TreatmentCourse.objects.exists()


def test_a_corn_allergy_does_not_block_a_prp_course(alice_actor, pat, evaluation, catalogue):
    allergy_add(actor=alice_actor, patient=pat, substance="Corn", category="corn_dextrose")

    course = _plan(
        alice_actor,
        pat,
        evaluation,
        course_type="prp",
        answers={"haemoglobin": Decimal("13.1"), "platelets": 240},
    )

    assert course.screenings.get().findings == []


# A patient without risk factors plans with no extra input.


def test_a_patient_with_no_risk_factors_plans_and_is_screened_clear(
    alice_actor, alice, pat, evaluation, catalogue
):
    course = _plan(alice_actor, pat, evaluation)

    screening = course.screenings.get()
    assert (screening.findings, screening.acknowledgement, screening.session) == ([], "", None)
    assert screening.screened_by == alice
    assert screening.answers["local_infection"] is False
    event = AuditEvent.objects.get(object_type="screening")
    assert (event.action, event.patient, event.actor) == ("create", pat, alice)


# Relative contraindications: a physician's reason, recorded and audited.


def test_cautions_without_a_reason_are_refused_and_listed(alice_actor, pat, evaluation):
    _on_apixaban(alice_actor, pat)
    patient_history_update(actor=alice_actor, patient=pat, pregnancy="pregnant")

    with pytest.raises(ValidationError) as exc:
        _plan(alice_actor, pat, evaluation)

    (message,) = exc.value.message_dict["acknowledgement"]
    assert "Anticoagulant or antiplatelet medication, or a bleeding disorder. Apixaban" in message
    assert "Pregnancy. Pregnant, on the history." in message
    assert message.endswith("give your reason for proceeding despite them.")
    assert not TreatmentCourse.objects.exists()


def test_a_physicians_reason_is_recorded_with_the_screening_and_audited(
    alice_actor, alice, pat, evaluation
):
    _on_apixaban(alice_actor, pat)

    course = _plan(alice_actor, pat, evaluation, acknowledgement=f"  {REASON}  ")

    screening = course.screenings.get()
    assert screening.acknowledgement == REASON
    assert [f["rule"] for f in screening.findings] == ["bleeding-risk"]
    event = AuditEvent.objects.get(object_type="screening")
    assert event.actor == alice
    assert event.changes["acknowledgement"] == REASON
    assert event.changes["findings"][0]["severity"] == "relative"


def test_a_reason_given_without_any_caution_is_not_kept(alice_actor, pat, evaluation):
    course = _plan(alice_actor, pat, evaluation, acknowledgement="Just in case.")

    assert course.screenings.get().acknowledgement == ""


def test_a_blank_reason_does_not_count(alice_actor, pat, evaluation):
    _on_apixaban(alice_actor, pat)

    with pytest.raises(ValidationError) as exc:
        _plan(alice_actor, pat, evaluation, acknowledgement="   ")

    assert "acknowledgement" in exc.value.message_dict


# Planned stocks.


def test_planned_stocks_narrow_the_allergy_check(alice_actor, pat, evaluation, catalogue):
    allergy_add(actor=alice_actor, patient=pat, substance="Lidocaine", category="local_anaesthetic")
    with pytest.raises(ValidationError, match=r"Lidocaine 1% \(MPF\) contains an amide"):
        _plan(alice_actor, pat, evaluation)  # the usual stocks include every anaesthetic

    stocks = [catalogue["Dextrose 50% (D50)"], catalogue["0.9% sodium chloride"]]
    course = _plan(alice_actor, pat, evaluation, planned_stocks=stocks)

    assert set(course.planned_stocks.all()) == set(stocks)
    assert course.screenings.get().findings == []


def test_planned_stocks_are_audited_by_name(alice_actor, pat, evaluation, catalogue):
    stocks = [catalogue["Dextrose 50% (D50)"], catalogue["Lidocaine 1% (MPF)"]]

    course = _plan(alice_actor, pat, evaluation, planned_stocks=stocks)

    event = AuditEvent.objects.get(object_code=str(course.code), action="update")
    assert event.changes == {"planned_stocks": [[], ["Dextrose 50% (D50)", "Lidocaine 1% (MPF)"]]}


def test_another_clinics_stock_cannot_be_planned(
    alice_actor, charlie_actor, pat, evaluation, other_clinic
):
    clinic_safety_install(clinic=other_clinic)
    theirs = StockProduct.objects.filter(clinic=other_clinic).first()

    with pytest.raises(ValidationError) as exc:
        _plan(alice_actor, pat, evaluation, planned_stocks=[theirs])

    assert "planned_stocks" in exc.value.message_dict
    assert not TreatmentCourse.objects.exists()


def test_an_anaesthetic_allergy_blocks_a_dextrose_course_in_a_clinic_without_stocks(
    alice_actor, pat, evaluation
):
    allergy_add(actor=alice_actor, patient=pat, substance="Lidocaine", category="local_anaesthetic")

    with pytest.raises(ValidationError, match=r"Local anaesthetic \(assumed"):
        _plan(alice_actor, pat, evaluation)


@pytest.mark.parametrize(
    ("course_type", "names"),
    [
        (
            "dextrose",
            {
                "Dextrose 50% (D50)",
                "Dextrose 10% (D10W)",
                "Lidocaine 1% (MPF)",
                "Lidocaine 2% (MPF)",
                "Lidocaine 1% (multi-dose vial)",
                "Lidocaine 1% with epinephrine",
                "Bupivacaine 0.25%",
                "Bupivacaine 0.5%",
                "Ropivacaine 0.2%",
                "0.9% sodium chloride",
                "Sterile water for injection",
            },
        ),
        ("perineural", {"Dextrose 5% (D5W)"}),
        ("prp", {"Autologous PRP"}),
        (
            "saline",
            {
                "0.9% sodium chloride",
                "Sterile water for injection",
                "Lidocaine 1% (MPF)",
                "Lidocaine 2% (MPF)",
                "Lidocaine 1% (multi-dose vial)",
                "Lidocaine 1% with epinephrine",
                "Bupivacaine 0.25%",
                "Bupivacaine 0.5%",
                "Ropivacaine 0.2%",
            },
        ),
        ("other", set()),
    ],
)
def test_the_usual_stocks_of_each_course_type(clinic, catalogue, course_type, names):
    assert {s.name for s in default_stocks(clinic, course_type)} == names


def test_an_inactive_stock_is_not_among_the_usual_ones(clinic, catalogue):
    StockProduct.objects.filter(name="Dextrose 10% (D10W)").update(active=False)

    assert "Dextrose 10% (D10W)" not in {s.name for s in default_stocks(clinic, "dextrose")}


# Benzyl alcohol, sites and high-risk stock.


def test_bacteriostatic_saline_is_blocked_for_a_low_back_course(
    alice_actor, pat, evaluation, catalogue
):
    stocks = [catalogue["Dextrose 50% (D50)"], catalogue["Bacteriostatic 0.9% sodium chloride"]]

    with pytest.raises(ValidationError, match="Benzyl-alcohol preservative at a spinal"):
        _plan(alice_actor, pat, evaluation, target_region="lumbar_si", planned_stocks=stocks)


def test_bacteriostatic_saline_is_allowed_for_a_knee_course(
    alice_actor, pat, evaluation, catalogue
):
    stocks = [catalogue["Dextrose 50% (D50)"], catalogue["Bacteriostatic 0.9% sodium chloride"]]

    course = _plan(alice_actor, pat, evaluation, target_region="knee", planned_stocks=stocks)

    assert course.screenings.get().findings == []


def test_a_low_back_course_with_the_usual_stocks_is_not_blocked(
    alice_actor, pat, evaluation, catalogue
):
    course = _plan(alice_actor, pat, evaluation, target_region="lumbar_si")

    assert course.screenings.get().findings == []


def test_morrhuate_planned_is_a_caution(alice_actor, pat, evaluation, catalogue):
    stocks = [catalogue["Dextrose 50% (D50)"], catalogue["Sodium morrhuate 5%"]]

    with pytest.raises(ValidationError, match="A high-risk solution is planned"):
        _plan(alice_actor, pat, evaluation, planned_stocks=stocks)

    course = _plan(alice_actor, pat, evaluation, planned_stocks=stocks, acknowledgement=REASON)
    assert [f["rule"] for f in course.screenings.get().findings] == ["high-risk-stock"]


# Answers and thresholds.


def test_a_steroid_injection_in_the_future_is_refused_by_its_field(alice_actor, pat, evaluation):
    tomorrow = clinic_today(alice_actor.clinic) + dt.timedelta(days=1)

    with pytest.raises(ValidationError) as exc:
        _plan(alice_actor, pat, evaluation, answers={"site_steroid_on": tomorrow})

    assert exc.value.message_dict == {
        "site_steroid_on": ["The last steroid injection cannot be in the future."]
    }


def test_the_recent_steroid_weeks_are_the_clinics_setting(alice_actor, pat, evaluation, clinic):
    three_weeks_ago = clinic_today(alice_actor.clinic) - dt.timedelta(weeks=3)
    answers = {"site_steroid_on": three_weeks_ago}
    with pytest.raises(ValidationError, match="Recent steroid injection at the site"):
        _plan(alice_actor, pat, evaluation, answers=answers)

    limits = settings_for(clinic)
    limits.recent_steroid_weeks = 2
    limits.save()
    course = _plan(alice_actor, pat, evaluation, answers=answers)

    assert course.screenings.get().answers["site_steroid_on"] == three_weeks_ago.isoformat()


@pytest.mark.parametrize(
    ("answers", "rule"),
    [
        ({}, "prp-labs-missing"),
        ({"haemoglobin": "9.9", "platelets": "250"}, "prp-labs"),
        ({"haemoglobin": "12.0", "platelets": "99"}, "prp-labs"),
    ],
)
def test_prp_blood_counts_missing_or_low_are_cautions(
    alice_actor, pat, evaluation, catalogue, answers, rule
):
    with pytest.raises(ValidationError) as exc:
        _plan(alice_actor, pat, evaluation, course_type="prp", answers=answers)

    assert "acknowledgement" in exc.value.message_dict
    course = _plan(
        alice_actor, pat, evaluation, course_type="prp", answers=answers, acknowledgement=REASON
    )
    assert [f["rule"] for f in course.screenings.get().findings] == [rule]


def test_a_prp_platelet_disorder_is_absolute(alice_actor, pat, evaluation, catalogue):
    answers = {"haemoglobin": "13", "platelets": "200", "platelet_disorder": True}

    with pytest.raises(ValidationError, match="PRP: platelet dysfunction"):
        _plan(alice_actor, pat, evaluation, course_type="prp", answers=answers)


@pytest.mark.parametrize(
    ("field", "value"),
    [("haemoglobin", "105"), ("haemoglobin", "NaN"), ("platelets", "0"), ("platelets", "2.5")],
)
def test_implausible_blood_counts_are_refused_by_their_field(
    alice_actor, pat, evaluation, field, value
):
    with pytest.raises(ValidationError) as exc:
        _plan(alice_actor, pat, evaluation, course_type="prp", answers={field: value})

    assert list(exc.value.message_dict) == [field]


def test_a_patient_of_17_needs_a_paediatric_sign_off(alice_actor, rita_actor):
    today = clinic_today(alice_actor.clinic)
    teen = patient_register(
        actor=rita_actor,
        mrn="R-0017",
        given_name="Tom",
        family_name="Young",
        date_of_birth=today.replace(year=today.year - 18) + dt.timedelta(days=1),
        sex="male",
    )
    evaluation = make_evaluation(alice_actor, teen)

    with pytest.raises(ValidationError, match="Under 18: paediatric treatment"):
        _plan(alice_actor, teen, evaluation)


# Who may screen and acknowledge.


def test_reception_cannot_screen(rita_actor, alice_actor, pat, evaluation):
    course = _plan(alice_actor, pat, evaluation)

    with pytest.raises(PermissionDenied):
        screening_record(actor=rita_actor, course=course)


def test_a_nurses_acknowledgement_is_refused(nora_actor, alice_actor, pat, evaluation):
    course = _plan(alice_actor, pat, evaluation)

    with pytest.raises(ValidationError) as exc:
        screening_run(actor=nora_actor, course=course, acknowledgement="Looks fine to me.")

    assert "Only a physician can acknowledge" in exc.value.message_dict["acknowledgement"][0]


def test_a_nurse_is_told_cautions_need_a_physician(nora_actor, alice_actor, pat, evaluation):
    course = _plan(alice_actor, pat, evaluation)
    _on_apixaban(alice_actor, pat)

    with pytest.raises(ValidationError) as exc:
        screening_run(actor=nora_actor, course=course)

    assert exc.value.message_dict["acknowledgement"][0].endswith(
        "They need a physician's acknowledgement."
    )


# The session checklist.


@pytest.fixture
def session(alice_actor, pat, evaluation):
    return _plan(alice_actor, pat, evaluation).sessions.get(number=1)


def test_a_clear_checklist_screening_completes_the_checklist(nora_actor, session):
    checklist = complete_checklist(nora_actor, session)

    assert checklist.is_complete
    assert checklist.contraindications_rechecked
    assert session.screenings.get().findings == []


def test_an_unticked_recheck_runs_no_screening(nora_actor, session):
    checklist_save(actor=nora_actor, session=session, identity_confirmed=True)

    assert not session.screenings.exists()


def test_a_nurse_saves_cautions_but_the_checklist_waits_for_a_physician(
    nora_actor, alice_actor, pat, session
):
    _on_apixaban(alice_actor, pat)

    checklist = complete_checklist(nora_actor, session)

    assert not checklist.is_complete
    assert not checklist.contraindications_rechecked
    screening = session.screenings.get()
    assert [f["rule"] for f in screening.findings] == ["bleeding-risk"]
    assert screening.acknowledgement == ""
    assert sign_blockers(session) == [
        "The screening's cautions need a physician's acknowledgement. Relative "
        "contraindications: Anticoagulant or antiplatelet medication, or a bleeding disorder. "
        "Apixaban (anticoagulant). A physician acknowledges them by saving the checklist again "
        "with the reason for going ahead."
    ]


def test_a_physician_acknowledges_what_the_nurse_screened(
    nora_actor, alice_actor, alice, pat, session
):
    _on_apixaban(alice_actor, pat)
    complete_checklist(nora_actor, session)

    checklist = checklist_save(
        actor=alice_actor, session=session, contraindications_rechecked=True, acknowledgement=REASON
    )

    assert checklist.is_complete
    latest = session.screenings.first()
    assert (latest.acknowledgement, latest.screened_by) == (REASON, alice)
    assert sign_blockers(session) == []


def test_a_nurse_saving_the_same_answers_again_keeps_the_physicians_acknowledgement(
    nora_actor, alice_actor, pat, session
):
    _on_apixaban(alice_actor, pat)
    complete_checklist(alice_actor, session, acknowledgement=REASON)

    checklist = complete_checklist(nora_actor, session, weight_kg=Decimal("73.0"))

    assert checklist.is_complete
    assert session.screenings.count() == 1


def test_a_physician_without_a_reason_is_asked_for_one_and_nothing_is_saved(
    alice_actor, pat, session
):
    _on_apixaban(alice_actor, pat)

    with pytest.raises(ValidationError) as exc:
        complete_checklist(alice_actor, session)

    assert "acknowledgement" in exc.value.message_dict
    assert not session.screenings.exists()
    assert not Checklist.objects.filter(session=session).exists()


def test_a_nurse_cannot_acknowledge_on_the_checklist(nora_actor, alice_actor, pat, session):
    _on_apixaban(alice_actor, pat)

    with pytest.raises(ValidationError) as exc:
        complete_checklist(nora_actor, session, acknowledgement="Fine.")

    assert "Only a physician can acknowledge" in exc.value.message_dict["acknowledgement"][0]


def test_an_absolute_finding_at_the_checklist_is_kept_and_blocks(nora_actor, session):
    checklist = complete_checklist(nora_actor, session, answers={"systemic_infection": True})

    assert not checklist.is_complete
    screening = session.screenings.get()
    assert screening.blocked
    assert sign_blockers(session) == [
        "Contraindicated, do not inject: Fever or systemic infection. Reported at today's "
        "screening."
    ]


def test_new_answers_screen_again(nora_actor, session):
    complete_checklist(nora_actor, session, answers={"systemic_infection": True})

    checklist = complete_checklist(nora_actor, session, answers={"systemic_infection": False})

    assert checklist.is_complete
    assert session.screenings.count() == 2
    assert sign_blockers(session) == []


def test_a_syringe_drawn_with_benzyl_alcohol_for_a_low_back_course_blocks(
    alice_actor, alice, nora_actor, pat, catalogue
):
    course = _plan(alice_actor, pat, make_evaluation(alice_actor, pat), target_region="lumbar_si")
    session = course.sessions.get(number=1)
    syringe = Syringe.objects.create(
        session=session,
        label="A",
        final_volume_ml=Decimal(10),
        dextrose_percent=Decimal(15),
        benzyl_alcohol=True,
        created_by=alice,
    )
    SyringeIngredient.objects.create(
        syringe=syringe,
        stock=catalogue["Bacteriostatic 0.9% sodium chloride"],
        volume_ml=Decimal(7),
    )

    checklist = complete_checklist(nora_actor, session)

    assert not checklist.is_complete
    assert [f["rule"] for f in session.screenings.get().findings] == ["benzyl-alcohol-spinal"]


def test_an_ingredient_allergy_at_the_checklist_reads_the_syringes_stocks(
    alice_actor, alice, nora_actor, pat, catalogue
):
    stocks = [catalogue["Dextrose 50% (D50)"], catalogue["0.9% sodium chloride"]]
    course = _plan(alice_actor, pat, make_evaluation(alice_actor, pat), planned_stocks=stocks)
    session = course.sessions.get(number=1)
    allergy_add(
        actor=alice_actor, patient=pat, substance="Bupivacaine", category="local_anaesthetic"
    )
    syringe = Syringe.objects.create(
        session=session,
        label="A",
        final_volume_ml=Decimal(10),
        dextrose_percent=Decimal(15),
        created_by=alice,
    )
    SyringeIngredient.objects.create(
        syringe=syringe, stock=catalogue["Bupivacaine 0.5%"], volume_ml=Decimal(2)
    )

    complete_checklist(nora_actor, session)

    (finding,) = session.screenings.get().findings
    assert finding["detail"] == (
        "Bupivacaine (Local anaesthetic): Bupivacaine 0.5% contains an amide local anaesthetic."
    )


def test_a_session_never_screened_has_no_screening_blocker(session):
    assert sign_blockers(session) == []


def test_signing_is_refused_with_the_screenings_reason(alice_actor, nora_actor, session):
    complete_checklist(nora_actor, session)
    note = make_note(alice_actor, session)
    add_injection(alice_actor, note)
    complete_checklist(nora_actor, session, answers={"local_infection": True})

    with pytest.raises(ValidationError) as exc:
        note_sign(actor=alice_actor, note=note)

    assert exc.value.messages == [
        "The pre-procedure checklist is not complete.",
        "Contraindicated, do not inject: Active infection at or near the injection site. "
        "Reported at today's screening.",
    ]


# Screening again as the session goes on: drawing up, each injection, signing.

ALLERGY_BLOCK = (
    "Contraindicated, do not inject: Allergy to an ingredient of the planned solutions. "
)


def _draw_up(actor, session, catalogue, anaesthetic="Lidocaine 1% (MPF)", **overrides):
    fields = {
        "label": "A",
        "final_volume_ml": Decimal(10),
        "target_dextrose_percent": Decimal(15),
        "dextrose_stock": catalogue["Dextrose 50% (D50)"],
        "anaesthetic_stock": catalogue[anaesthetic],
        "target_anaesthetic_percent": Decimal("0.5"),
        "diluent_stock": catalogue["0.9% sodium chloride"],
    }
    fields.update(overrides)
    return syringe_draw_up(actor=actor, session=session, **fields)


@pytest.fixture
def lidocaine_free_session(alice_actor, nora_actor, pat, evaluation, catalogue):
    """A course planned with D50 and saline only, its first checklist completed clear."""
    stocks = [catalogue["Dextrose 50% (D50)"], catalogue["0.9% sodium chloride"]]
    session = _plan(alice_actor, pat, evaluation, planned_stocks=stocks).sessions.get(number=1)
    complete_checklist(nora_actor, session)
    return session


def _lidocaine_allergy(actor, patient, category="local_anaesthetic"):
    allergy_add(actor=actor, patient=patient, substance="Lidocaine", category=category)


def test_lidocaine_cannot_be_drawn_up_for_a_lidocaine_allergic_patient(
    alice_actor, pat, catalogue, lidocaine_free_session
):
    _lidocaine_allergy(alice_actor, pat)

    with pytest.raises(ValidationError) as exc:
        _draw_up(alice_actor, lidocaine_free_session, catalogue)

    assert exc.value.message_dict == {
        "anaesthetic_stock": [
            ALLERGY_BLOCK + "Lidocaine (Local anaesthetic): Lidocaine 1% (MPF) contains an amide "
            "local anaesthetic."
        ]
    }
    assert not Syringe.objects.exists()


def test_a_stock_the_recipe_does_not_use_is_not_screened_at_draw_up(
    alice_actor, pat, catalogue, lidocaine_free_session
):
    _lidocaine_allergy(alice_actor, pat)

    syringe = _draw_up(
        alice_actor, lidocaine_free_session, catalogue, target_anaesthetic_percent=Decimal(0)
    )

    assert syringe.anaesthetics == {}


def test_an_injection_from_a_lidocaine_syringe_is_refused_once_the_allergy_is_known(
    alice_actor, pat, catalogue, lidocaine_free_session
):
    syringe = _draw_up(alice_actor, lidocaine_free_session, catalogue)
    note = make_note(alice_actor, lidocaine_free_session)
    _lidocaine_allergy(alice_actor, pat)

    with pytest.raises(ValidationError) as exc:
        add_injection(alice_actor, note, syringe=syringe)

    (message,) = exc.value.message_dict["syringe"]
    assert message.startswith(ALLERGY_BLOCK)
    assert not Injection.objects.exists()


def test_signing_screens_a_syringe_drawn_and_an_allergy_added_after_the_checklist(
    alice_actor, pat, catalogue, lidocaine_free_session
):
    note = make_note(alice_actor, lidocaine_free_session)
    add_injection(
        alice_actor, note, syringe=_draw_up(alice_actor, lidocaine_free_session, catalogue)
    )
    _lidocaine_allergy(alice_actor, pat)

    with pytest.raises(ValidationError) as exc:
        note_sign(actor=alice_actor, note=note)

    assert exc.value.messages == [
        ALLERGY_BLOCK + "Lidocaine (Local anaesthetic): Lidocaine 1% (MPF) contains an amide "
        "local anaesthetic."
    ]


def test_a_benzyl_alcohol_syringe_cannot_be_drawn_up_for_a_low_back_course(
    alice_actor, pat, evaluation, catalogue
):
    course = _plan(alice_actor, pat, evaluation, target_region="lumbar_si")
    bacteriostatic = catalogue["Bacteriostatic 0.9% sodium chloride"]

    with pytest.raises(ValidationError) as exc:
        _draw_up(
            alice_actor, course.sessions.get(number=1), catalogue, diluent_stock=bacteriostatic
        )

    (message,) = exc.value.message_dict["diluent_stock"]
    assert message.startswith(
        "Contraindicated, do not inject: Benzyl-alcohol preservative at a spinal, epidural or "
        "caudal site. Bacteriostatic 0.9% sodium chloride contains benzyl alcohol; the planned "
        "sites include Caudal epidural space, "
    )
    assert not Syringe.objects.exists()


@pytest.fixture
def saline_session(alice_actor, nora_actor, pat, evaluation):
    session = _plan(alice_actor, pat, evaluation, course_type="saline").sessions.get(number=1)
    complete_checklist(nora_actor, session)
    return session


def test_a_hand_entered_dextrose_injection_is_refused_for_a_corn_allergic_patient(
    alice_actor, pat, saline_session
):
    allergy_add(actor=alice_actor, patient=pat, substance="Corn", category="corn_dextrose")
    note = make_note(alice_actor, saline_session)

    with pytest.raises(ValidationError) as exc:
        add_injection(alice_actor, note, dextrose_percent=Decimal(25))

    assert exc.value.message_dict == {
        "dextrose_percent": [
            ALLERGY_BLOCK + "Corn (Corn / dextrose): Hand-entered dextrose 25% contains corn "
            "(dextrose is made from corn)."
        ]
    }
    assert not Injection.objects.exists()


def test_signing_screens_hand_entered_injections(alice_actor, pat, saline_session):
    note = make_note(alice_actor, saline_session)
    add_injection(
        alice_actor, note, dextrose_percent=Decimal(25), anaesthetic="none", anaesthetic_percent=0
    )
    allergy_add(actor=alice_actor, patient=pat, substance="Corn", category="corn_dextrose")

    with pytest.raises(ValidationError) as exc:
        note_sign(actor=alice_actor, note=note)

    assert exc.value.messages == [
        ALLERGY_BLOCK + "Corn (Corn / dextrose): Hand-entered dextrose 25% contains corn "
        "(dextrose is made from corn)."
    ]


@pytest.mark.parametrize(
    ("category", "overrides", "field"),
    [
        ("local_anaesthetic", {"anaesthetic": "bupivacaine"}, "anaesthetic"),
        ("preservative", {"diluent": "bacteriostatic_water"}, "diluent"),
    ],
)
def test_each_hand_entered_ingredient_is_screened_by_its_field(
    alice_actor, pat, saline_session, category, overrides, field
):
    allergy_add(actor=alice_actor, patient=pat, substance="Recorded", category=category)
    note = make_note(alice_actor, saline_session)

    with pytest.raises(ValidationError) as exc:
        add_injection(alice_actor, note, dextrose_percent=Decimal(0), **overrides)

    assert list(exc.value.message_dict) == [field]


def test_a_hand_entered_saline_injection_passes_a_corn_allergy(alice_actor, pat, saline_session):
    allergy_add(actor=alice_actor, patient=pat, substance="Corn", category="corn_dextrose")
    note = make_note(alice_actor, saline_session)
    add_injection(alice_actor, note, dextrose_percent=Decimal(0))

    signed = note_sign(actor=alice_actor, note=note)

    assert signed.is_signed


# Cautions at signing: covered by the checklist's acknowledgement, or new since.


def test_a_caution_acknowledged_at_the_checklist_lets_the_note_sign(alice_actor, pat, session):
    _on_apixaban(alice_actor, pat)
    complete_checklist(alice_actor, session, acknowledgement=REASON)
    note = make_note(alice_actor, session)
    add_injection(alice_actor, note)

    assert note_sign(actor=alice_actor, note=note).is_signed


def test_another_medicine_under_an_acknowledged_rule_is_still_covered(alice_actor, pat, session):
    _on_apixaban(alice_actor, pat)
    complete_checklist(alice_actor, session, acknowledgement=REASON)
    medication_add(
        actor=alice_actor, patient=pat, name="Aspirin", dose="75 mg", drug_class="antiplatelet"
    )

    assert sign_blockers(session) == []


def test_a_caution_new_since_the_checklist_blocks_signing_until_acknowledged(
    alice_actor, nora_actor, pat, session
):
    complete_checklist(nora_actor, session)
    note = make_note(alice_actor, session)
    add_injection(alice_actor, note)
    _on_apixaban(alice_actor, pat)

    with pytest.raises(ValidationError) as exc:
        note_sign(actor=alice_actor, note=note)

    assert exc.value.messages == [
        "Cautions found since the checklist was screened need a physician's acknowledgement. "
        "Relative contraindications: Anticoagulant or antiplatelet medication, or a bleeding "
        "disorder. Apixaban (anticoagulant). A physician acknowledges them by saving the "
        "checklist again with the reason for going ahead."
    ]
    checklist_save(
        actor=alice_actor, session=session, contraindications_rechecked=True, acknowledgement=REASON
    )
    assert note_sign(actor=alice_actor, note=note).is_signed


def test_a_new_caution_under_another_rule_is_not_covered_by_the_acknowledgement(
    alice_actor, pat, session
):
    _on_apixaban(alice_actor, pat)
    complete_checklist(alice_actor, session, acknowledgement=REASON)
    patient_history_update(actor=alice_actor, patient=pat, pregnancy="pregnant")

    (blocker,) = sign_blockers(session)

    assert blocker.startswith("Cautions found since the checklist was screened")
    assert "Pregnancy. Pregnant, on the history." in blocker
    assert "Apixaban" not in blocker


def test_signing_reads_the_checklists_last_answers(alice_actor, nora_actor, session):
    complete_checklist(nora_actor, session, answers={"inflammatory_flare": True})

    (blocker,) = sign_blockers(session)

    assert "Acute gout or inflammatory arthritis flare. Reported at today's screening." in blocker


# Allergies filed under "Other".

OTHER_CAUTION = "Allergy recorded as 'Other': check it against the planned solutions."


def test_an_other_allergy_is_a_caution_naming_the_substance(alice_actor, pat, evaluation):
    allergy_add(actor=alice_actor, patient=pat, substance="Penicillin", category="other")

    with pytest.raises(ValidationError) as exc:
        _plan(alice_actor, pat, evaluation)

    (message,) = exc.value.message_dict["acknowledgement"]
    assert f"{OTHER_CAUTION} Recorded: Penicillin." in message
    course = _plan(alice_actor, pat, evaluation, acknowledgement=REASON)
    assert [f["rule"] for f in course.screenings.get().findings] == ["other-allergy"]


def test_lidocaine_filed_under_other_blocks_a_course_planning_lidocaine(
    alice_actor, pat, evaluation, catalogue
):
    _lidocaine_allergy(alice_actor, pat, category="other")
    stocks = [catalogue["Dextrose 50% (D50)"], catalogue["Lidocaine 1% (MPF)"]]

    with pytest.raises(ValidationError) as exc:
        _plan(alice_actor, pat, evaluation, planned_stocks=stocks, acknowledgement=REASON)

    assert exc.value.messages == [
        ALLERGY_BLOCK + "Lidocaine (Other): Lidocaine 1% (MPF) contains an amide local anaesthetic."
    ]


def test_lignocaine_filed_under_other_refuses_a_hand_entered_lidocaine_injection(
    alice_actor, pat, evaluation
):
    course = _plan(alice_actor, pat, evaluation, course_type="saline")
    note = make_note(alice_actor, course.sessions.get(number=1))
    allergy_add(actor=alice_actor, patient=pat, substance="Lignocaine", category="other")

    with pytest.raises(ValidationError) as exc:
        add_injection(alice_actor, note, dextrose_percent=Decimal(0))

    assert exc.value.message_dict == {
        "anaesthetic": [
            ALLERGY_BLOCK + "Lignocaine (Other): Hand-entered lidocaine 0.5% contains an amide "
            "local anaesthetic."
        ]
    }


def test_an_other_allergy_naming_a_planned_stock_blocks(alice_actor, pat, evaluation, catalogue):
    allergy_add(actor=alice_actor, patient=pat, substance="Sodium morrhuate", category="other")
    stocks = [catalogue["Dextrose 50% (D50)"], catalogue["Sodium morrhuate 5%"]]

    with pytest.raises(ValidationError) as exc:
        _plan(alice_actor, pat, evaluation, planned_stocks=stocks, acknowledgement=REASON)

    assert exc.value.messages == [
        ALLERGY_BLOCK + "Sodium morrhuate (Other): the allergy names Sodium morrhuate 5%."
    ]


# Benzyl alcohol recorded at an uncoded site.


def test_benzyl_alcohol_recorded_at_an_other_site_blocks_signing(alice_actor, nora_actor, session):
    complete_checklist(nora_actor, session)
    note = make_note(alice_actor, session)
    injection = add_injection(
        alice_actor, note, site_code="other", site_detail="Caudal epidural", structure="other"
    )
    # Recorded before injection_add refused it (an older row).
    Injection.objects.filter(pk=injection.pk).update(diluent="bacteriostatic_saline")

    (blocker,) = sign_blockers(session)

    assert blocker == (
        "Contraindicated, do not inject: Benzyl-alcohol preservative at a spinal, epidural or "
        "caudal site. Benzyl alcohol was injected at an uncoded site ('Other site'), which may "
        "be spinal, epidural or caudal."
    )
