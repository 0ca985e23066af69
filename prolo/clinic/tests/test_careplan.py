"""The preparation and aftercare plan: its dates, its items per course type, its precautions."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from prolo.clinic.models import ClinicSettings
from prolo.clinic.safety.careplan import (
    CarePlan,
    PlanItem,
    SiteFlags,
    care_plan,
    long_date,
    site_flags,
)
from prolo.clinic.services.careplans import session_care_plan
from prolo.clinic.services.clinic_settings import settings_update
from prolo.clinic.services.patients import history_item_set_active, medication_add
from prolo.testing import make_course


def _plan(day: dt.date, *, course_type: str = "dextrose", **kwargs):
    settings = kwargs.pop("settings", ClinicSettings())
    at = dt.datetime.combine(day, dt.time(9, 30))
    return care_plan(course_type=course_type, session_at=at, settings=settings, **kwargs)


@pytest.mark.parametrize(
    ("session", "days", "stop_from"),
    [
        (dt.date(2026, 3, 2), 3, dt.date(2026, 2, 27)),
        (dt.date(2028, 3, 2), 3, dt.date(2028, 2, 28)),  # through 29 February of a leap year
        (dt.date(2026, 1, 1), 3, dt.date(2025, 12, 29)),  # into the year before
        (dt.date(2026, 5, 14), 14, dt.date(2026, 4, 30)),
        (dt.date(2026, 5, 14), 1, dt.date(2026, 5, 13)),
    ],
)
def test_anti_inflammatories_stop_the_set_number_of_days_before(session, days, stop_from):
    plan = _plan(session, settings=ClinicSettings(nsaid_stop_days_before=days))
    item = plan.item("nsaid_stop")
    assert item.date == stop_from
    assert item.text.startswith(f"From {long_date(stop_from)}")


@pytest.mark.parametrize(
    ("session", "days", "until"),
    [
        (dt.date(2026, 1, 30), 7, dt.date(2026, 2, 6)),
        (dt.date(2026, 12, 28), 7, dt.date(2027, 1, 4)),
        (dt.date(2026, 2, 20), 28, dt.date(2026, 3, 20)),
    ],
)
def test_anti_inflammatories_are_avoided_until_the_set_number_of_days_after(session, days, until):
    plan = _plan(session, settings=ClinicSettings(nsaid_avoid_days_after=days))
    item = plan.item("nsaid_avoid")
    assert item.date == until
    assert long_date(until) in item.text


def test_long_dates_name_the_weekday_day_month_and_year():
    assert long_date(dt.date(2026, 2, 27)) == "Friday 27 February 2026"


def test_with_no_days_to_stop_the_plan_says_not_on_the_day_itself():
    plan = _plan(dt.date(2026, 3, 2), settings=ClinicSettings(nsaid_stop_days_before=0))
    item = plan.item("nsaid_stop")
    assert item.date == dt.date(2026, 3, 2)
    assert "on the day of your treatment" in item.text


def test_the_flare_and_healing_dates_follow_the_settings():
    settings = ClinicSettings(flare_typical_days=2, flare_max_days=10, healing_weeks=8)
    plan = _plan(dt.date(2026, 3, 2), settings=settings)
    assert plan.item("flare").date == dt.date(2026, 3, 12)
    assert "about 2 days" in plan.item("flare").text
    assert plan.item("healing").date == dt.date(2026, 4, 27)
    assert "about 8 weeks" in plan.item("healing").text


def test_the_heat_pack_times_come_from_the_settings():
    settings = ClinicSettings(heat_pack_min_minutes=5, heat_pack_max_minutes=20)
    assert (
        "for 5 to 20 minutes"
        in _plan(dt.date(2026, 3, 2), settings=settings).item("heat_pack").text
    )


def test_heavy_loading_is_avoided_for_three_days():
    assert _plan(dt.date(2026, 2, 27)).item("heavy_loading").date == dt.date(2026, 3, 2)


def test_the_days_without_heavy_loading_come_from_the_settings():
    plan = _plan(dt.date(2026, 2, 27), settings=ClinicSettings(heavy_loading_days=5))
    item = plan.item("heavy_loading")
    assert item.date == dt.date(2026, 3, 4)
    assert item.text.startswith("For about 5 days, until Wednesday 4 March 2026, avoid")


EVERY_PLAN = {
    "nsaid_stop",
    "low_dose_aspirin",
    "meal",
    "bring",
    "nsaid_avoid",
    "pain_relief",
    "heat_not_ice",
    "heat_pack",
    "keep_moving",
    "heavy_loading",
    "exercise",
    "flare",
    "healing",
    "warning_signs",
}


def _keys(plan) -> set[str]:
    return {item.key for _, _, items in plan.sections for item in items}


@pytest.mark.parametrize("course_type", ["dextrose", "saline", "perineural", "other"])
def test_every_course_type_gets_the_whole_plan_and_no_platelet_advice(course_type):
    assert _keys(_plan(dt.date(2026, 3, 2), course_type=course_type)) == EVERY_PLAN


def test_a_prp_course_stops_anti_inflammatories_at_least_4_days_before_and_7_after():
    plan = _plan(dt.date(2026, 3, 10), course_type="prp")
    assert _keys(plan) == EVERY_PLAN | {"prp_platelets"}
    assert plan.item("nsaid_stop").date == dt.date(2026, 3, 6)
    assert plan.item("nsaid_avoid").date == dt.date(2026, 3, 17)
    assert "R104" in plan.item("nsaid_stop").sources
    assert "R104" in plan.item("nsaid_avoid").sources


def test_a_prp_course_keeps_a_clinic_setting_longer_than_the_prp_minimum():
    settings = ClinicSettings(nsaid_stop_days_before=10, nsaid_avoid_days_after=14)
    plan = _plan(dt.date(2026, 3, 10), course_type="prp", settings=settings)
    assert plan.item("nsaid_stop").date == dt.date(2026, 2, 28)
    assert plan.item("nsaid_avoid").date == dt.date(2026, 3, 24)


def test_a_prp_courses_minimum_days_come_from_the_settings():
    settings = ClinicSettings(prp_nsaid_stop_days_before=6, prp_nsaid_avoid_days_after=10)
    plan = _plan(dt.date(2026, 3, 10), course_type="prp", settings=settings)
    assert plan.item("nsaid_stop").date == dt.date(2026, 3, 4)
    assert plan.item("nsaid_avoid").date == dt.date(2026, 3, 20)
    other = _plan(dt.date(2026, 3, 10), course_type="dextrose", settings=settings)
    assert other.item("nsaid_stop").date == dt.date(2026, 3, 7)  # the general 3 days


def test_the_blood_thinner_advice_appears_only_for_a_patient_who_takes_one():
    assert _plan(dt.date(2026, 3, 2)).item("blood_thinner") is None
    item = _plan(dt.date(2026, 3, 2), blood_thinner=True).item("blood_thinner")
    assert "Do not stop it on your own" in item.text
    assert item.sources == ("R99", "R106")


@pytest.mark.parametrize(
    ("sites", "region", "spinal", "thoracic"),
    [
        (["knee-ia", "knee-mcl"], "knee", False, False),
        (["lumbar-facet"], "lumbar_si", True, False),
        (["si-ia"], "lumbar_si", False, False),  # the sacroiliac joint is not spinal work
        (["chest-costochondral"], "thoracic", False, True),
        (["thoracic-costotransverse"], "thoracic", True, True),
        (["knee-ia", "caudal-epidural"], "knee", True, False),
        ([], "knee", False, False),
        ([], "cervical", True, False),  # no site known yet: the region decides
        ([], "thoracic", True, True),
        (["not-a-site"], "knee", False, False),
    ],
)
def test_site_flags_come_from_the_sites_or_else_the_region(sites, region, spinal, thoracic):
    assert site_flags(sites, region) == SiteFlags(spinal=spinal, thoracic=thoracic)


def test_headache_and_chest_precautions_appear_only_for_spinal_and_chest_wall_work():
    day = dt.date(2026, 3, 2)
    knee = _plan(day, flags=SiteFlags())
    assert knee.item("spinal_headache") is None
    assert knee.item("chest") is None
    spine = _plan(day, flags=SiteFlags(spinal=True))
    assert "severe headache" in spine.item("spinal_headache").text
    assert spine.item("chest") is None
    chest = _plan(day, flags=SiteFlags(thoracic=True))
    assert "short of breath" in chest.item("chest").text
    assert chest.item("spinal_headache") is None


def test_the_warning_signs_name_every_return_precaution():
    text = _plan(dt.date(2026, 3, 2)).item("warning_signs").text
    for sign in ("fever", "redness", "fluid or pus", "bleeding", "numbness", "weakness"):
        assert sign in text


def _all_items(plan):
    return [item for _, _, items in plan.sections for item in items]


def test_items_without_a_published_source_say_they_are_clinic_practice():
    plan = _plan(dt.date(2026, 3, 2), course_type="prp", blood_thinner=True)
    unverified = {item.key for item in _all_items(plan) if not item.verified}
    assert unverified == {"meal", "bring", "heat_pack", "healing"}
    for item in _all_items(plan):
        if item.verified:
            assert item.sources, item.key
            assert all(re.fullmatch(r"R\d+", tag) for tag in item.sources)
        else:
            assert "clinic" in item.text, item.key


def test_the_protein_meal_is_marked_as_the_clinics_practice():
    item = _plan(dt.date(2026, 3, 2)).item("meal")
    assert "protein" in item.text
    assert "our clinic's practice" in item.text
    assert not item.verified


FORBIDDEN = ("dextrose", "lidocaine", "lignocaine", "morrhuate", "prolotherapy", "osteoarthritis")


@pytest.mark.parametrize("course_type", ["dextrose", "prp", "perineural"])
def test_the_texts_name_no_injected_substance_and_no_diagnosis(course_type):
    plan = _plan(
        dt.date(2026, 3, 2),
        course_type=course_type,
        flags=SiteFlags(spinal=True, thoracic=True),
        blood_thinner=True,
    )
    for item in _all_items(plan):
        assert not any(word in item.text.lower() for word in FORBIDDEN), item.key


def test_paracetamol_is_allowed_and_heat_preferred_to_ice():
    plan = _plan(dt.date(2026, 3, 2))
    assert "paracetamol" in plan.item("pain_relief").text
    assert plan.item("pain_relief").sources == ("R103",)
    assert "not ice" in plan.item("heat_not_ice").text


# From the record: the session's date, the clinic's settings, the patient's medicines.


def _item(plan: CarePlan, key: str) -> PlanItem:
    item = plan.item(key)
    assert item is not None, key
    return item


def test_a_sessions_plan_is_dated_from_its_local_scheduled_day(alice_actor, pat):
    course = make_course(alice_actor, pat, start_date=dt.date(2026, 3, 2))
    plan = session_care_plan(course.sessions.get(number=1))
    assert plan.session_date == dt.date(2026, 3, 2)
    assert _item(plan, "nsaid_stop").date == dt.date(2026, 2, 27)


def test_a_change_to_the_clinic_settings_changes_the_plan(alice_actor, adam_actor, pat):
    course = make_course(alice_actor, pat, start_date=dt.date(2026, 3, 2))
    session = course.sessions.get(number=1)
    settings_update(actor=adam_actor, nsaid_stop_days_before=5, healing_weeks=10)
    plan = session_care_plan(session)
    assert _item(plan, "nsaid_stop").date == dt.date(2026, 2, 25)
    assert "about 10 weeks" in _item(plan, "healing").text


def test_a_patient_on_an_anticoagulant_gets_the_blood_thinner_advice(alice_actor, pat):
    course = make_course(alice_actor, pat)
    session = course.sessions.get(number=1)
    assert session_care_plan(session).item("blood_thinner") is None
    medication_add(actor=alice_actor, patient=pat, name="Apixaban", drug_class="anticoagulant")
    assert session_care_plan(session).item("blood_thinner") is not None


def test_a_stopped_blood_thinner_no_longer_counts(alice_actor, pat):
    session = make_course(alice_actor, pat).sessions.get(number=1)
    med = medication_add(
        actor=alice_actor, patient=pat, name="Clopidogrel", drug_class="antiplatelet"
    )
    assert session_care_plan(session).item("blood_thinner") is not None
    history_item_set_active(actor=alice_actor, item=med, active=False)
    assert session_care_plan(session).item("blood_thinner") is None


def test_a_lumbar_course_gets_the_headache_precaution_before_any_injection(alice_actor, pat):
    course = make_course(alice_actor, pat, target_region="lumbar_si")
    plan = session_care_plan(course.sessions.get(number=1))
    assert plan.item("spinal_headache") is not None
    assert plan.item("chest") is None
