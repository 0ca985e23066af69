"""The protocol library, the clinic's copies of it, and courses planned from a template."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from prolo.clinic.clock import clinic_today
from prolo.clinic.models import (
    Anaesthetic,
    AuditAction,
    AuditEvent,
    CourseType,
    InjectionStructure,
    ProtocolTemplate,
    Region,
)
from prolo.clinic.safety.protocols import (
    LIBRARY,
    LIBRARY_BY_KEY,
    injection_initial,
    next_planned,
    template_fields,
)
from prolo.clinic.services.protocols import (
    clean_injection,
    clean_weeks,
    protocol_copy,
    protocol_injection_add,
    protocol_injection_remove,
    protocol_update,
)
from prolo.clinic.sites import SITES_BY_CODE
from prolo.testing import make_course

D = Decimal

# The library's data, checked as a whole.


def test_the_library_holds_every_protocol_of_the_domain_notes():
    assert set(LIBRARY_BY_KEY) == {
        "knee-oa-rabago-2013",
        "knee-oa-dumais-2012",
        "lateral-epicondylosis-scarpone-2008",
        "osgood-schlatter-topol-2011",
        "plantar-fasciitis-kim-2014",
        "plantar-fasciitis-altas",
        "rotator-cuff-bertrand-2016",
        "sacroiliac-kim-2010",
        "achilles-yelland-2011",
        "tmj-louw-2019",
        "perineural-weekly",
    }
    assert len(LIBRARY) == len(LIBRARY_BY_KEY)


@pytest.mark.parametrize("protocol", LIBRARY, ids=lambda p: p.key)
def test_every_library_protocol_is_well_formed(protocol):
    assert protocol.course_type in CourseType.values
    assert protocol.target_region in Region.values
    assert clean_weeks("session_weeks", list(protocol.session_weeks)) == [*protocol.session_weeks]
    if protocol.optional_weeks:
        assert protocol.optional_weeks[0] > protocol.session_weeks[-1]
        clean_weeks("optional_weeks", list(protocol.optional_weeks))
    assert re.search(r"\[R\d+\]", protocol.citation), "the citation carries its source tag"
    assert protocol.evidence
    assert protocol.unverified, "every protocol lists what is not confirmed"
    assert protocol.injections
    for line in protocol.injections:
        assert line.site_code in SITES_BY_CODE
        assert line.structure in InjectionStructure.values
        assert line.anaesthetic in Anaesthetic.values
        clean_injection(line.as_json())  # passes the same checks as a clinic's edit


@pytest.mark.parametrize("protocol", LIBRARY, ids=lambda p: p.key)
def test_every_library_protocol_fits_the_template_model(protocol):
    ProtocolTemplate(clinic_id=1, **template_fields(protocol)).full_clean(
        exclude=["clinic"], validate_unique=False, validate_constraints=False
    )


def test_rabago_2013_is_weeks_0_4_8_with_optional_12_and_16():
    rabago = LIBRARY_BY_KEY["knee-oa-rabago-2013"]
    assert rabago.session_weeks == (0, 4, 8)
    assert rabago.optional_weeks == (12, 16)
    joint, *insertions = rabago.injections
    assert (joint.site_code, joint.volume_ml, joint.dextrose_percent) == ("knee-ia", D(6), D(25))
    assert {(i.volume_ml, i.dextrose_percent) for i in insertions} == {(D("0.5"), D(15))}
    assert rabago.max_session_volume_ml == D("22.5")


def test_dumais_2012_plans_8_collateral_ligament_injections_of_1_ml():
    dumais = LIBRARY_BY_KEY["knee-oa-dumais-2012"]
    assert dumais.session_weeks == (0, 4, 8, 12)
    ligaments = [i for i in dumais.injections if i.site_code != "knee-ia"]
    assert sum(i.count or 0 for i in ligaments) == 8
    assert {(i.volume_ml, i.dextrose_percent, i.anaesthetic_percent) for i in ligaments} == {
        (D(1), D(15), D("0.6"))
    }


def test_values_the_sources_do_not_give_are_left_empty_not_guessed():
    rabago = LIBRARY_BY_KEY["knee-oa-rabago-2013"]
    assert all(i.anaesthetic_percent is None for i in rabago.injections)
    assert any("anaesthetic" in u for u in rabago.unverified)
    perineural = LIBRARY_BY_KEY["perineural-weekly"]
    assert perineural.injections[0].volume_ml is None
    assert perineural.injections[0].dextrose_percent == D(5)


# Copying into the clinic.


def test_copying_a_protocol_creates_the_clinics_template_and_audits_it(adam_actor, clinic):
    template = protocol_copy(actor=adam_actor, key="knee-oa-rabago-2013")
    assert template.clinic == clinic
    assert template.session_weeks == [0, 4, 8]
    assert template.injections[0]["volume_ml"] == "6"
    assert "Rabago" in template.citation
    assert "anaesthetic" in template.unverified
    event = AuditEvent.objects.get(object_code=str(template.code))
    assert event.action == AuditAction.CREATE
    assert event.patient is None
    assert event.actor == adam_actor.user


def test_a_second_copy_gets_a_name_of_its_own(alice_actor):
    first = protocol_copy(actor=alice_actor, key="tmj-louw-2019")
    second = protocol_copy(actor=alice_actor, key="tmj-louw-2019")
    third = protocol_copy(actor=alice_actor, key="tmj-louw-2019")
    assert first.name == "Temporomandibular dysfunction (Louw 2019)"
    assert second.name == f"{first.name} (copy 2)"
    assert third.name == f"{first.name} (copy 3)"


def test_each_clinic_copies_into_its_own_templates(alice_actor, charlie_actor):
    mine = protocol_copy(actor=alice_actor, key="tmj-louw-2019")
    theirs = protocol_copy(actor=charlie_actor, key="tmj-louw-2019")
    assert mine.name == theirs.name
    assert mine.clinic != theirs.clinic


def test_an_unknown_library_key_is_refused_by_name(alice_actor):
    with pytest.raises(ValidationError) as caught:
        protocol_copy(actor=alice_actor, key="snake-oil")
    assert "key" in caught.value.message_dict


@pytest.mark.parametrize("who", ["nora_actor", "pete_actor", "rita_actor"])
def test_only_safety_managers_copy_or_edit_templates(who, request, alice_actor):
    actor = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        protocol_copy(actor=actor, key="tmj-louw-2019")
    template = protocol_copy(actor=alice_actor, key="tmj-louw-2019")
    with pytest.raises(PermissionDenied):
        protocol_update(actor=actor, protocol=template, name="Mine now")


# Editing.


@pytest.fixture
def rabago(adam_actor):
    return protocol_copy(actor=adam_actor, key="knee-oa-rabago-2013")


def test_an_edit_is_saved_and_audited_old_to_new(adam_actor, rabago):
    protocol_update(
        actor=adam_actor,
        protocol=rabago,
        name="Knee OA (ours)",
        session_weeks=[0, 3, 6],
        optional_weeks=[],
        evidence="We use 3-week gaps.",
    )
    rabago.refresh_from_db()
    assert rabago.name == "Knee OA (ours)"
    assert rabago.session_weeks == [0, 3, 6]
    assert rabago.optional_weeks == []
    event = AuditEvent.objects.filter(action=AuditAction.UPDATE).latest("id")
    assert event.patient is None
    assert event.changes["session_weeks"] == [[0, 4, 8], [0, 3, 6]]
    assert event.changes["name"] == ["Knee osteoarthritis (Rabago 2013)", "Knee OA (ours)"]


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"session_weeks": [0, 8, 4]}, "session_weeks", "later than the one before"),
        ({"session_weeks": [0, 4, 4]}, "session_weeks", "later than the one before"),
        ({"session_weeks": [-2, 0]}, "session_weeks", "cannot be negative"),
        ({"session_weeks": [2, 6]}, "session_weeks", "first session is week 0"),
        ({"session_weeks": []}, "session_weeks", "at least one session"),
        ({"session_weeks": [0, 105]}, "session_weeks", "up to 104"),
        ({"session_weeks": list(range(21))}, "session_weeks", "at most 20 sessions"),
        ({"session_weeks": ["0", "4"]}, "session_weeks", "whole numbers"),
        ({"optional_weeks": [6]}, "optional_weeks", "after the last session (week 8)"),
        ({"max_session_volume_ml": D(0)}, "max_session_volume_ml", "above 0"),
        ({"name": ""}, "name", "This field cannot be blank."),
    ],
)
def test_an_invalid_edit_is_refused_naming_the_field(adam_actor, rabago, fields, field, message):
    with pytest.raises(ValidationError) as caught:
        protocol_update(actor=adam_actor, protocol=rabago, **fields)
    assert any(message in m for m in caught.value.message_dict[field]), caught.value
    rabago.refresh_from_db()
    assert rabago.session_weeks == [0, 4, 8]


def test_a_name_used_by_another_template_is_refused(adam_actor, rabago):
    other = protocol_copy(actor=adam_actor, key="tmj-louw-2019")
    with pytest.raises(ValidationError) as caught:
        protocol_update(actor=adam_actor, protocol=other, name=rabago.name)
    assert "name" in caught.value.message_dict


GOOD_LINE = {
    "site_code": "knee-pes",
    "structure": "enthesis",
    "volume_ml": D("0.5"),
    "dextrose_percent": D(15),
    "anaesthetic": "lidocaine",
    "anaesthetic_percent": D("0.5"),
    "count": 2,
    "note": "",
}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"site_code": "moon"}, "site_code"),
        ({"structure": "bone"}, "structure"),
        ({"volume_ml": D(0)}, "volume_ml"),
        ({"volume_ml": D(-1)}, "volume_ml"),
        ({"volume_ml": "NaN"}, "volume_ml"),
        ({"dextrose_percent": D(51)}, "dextrose_percent"),
        ({"dextrose_percent": D(-1)}, "dextrose_percent"),
        ({"anaesthetic": "cocaine"}, "anaesthetic"),
        ({"anaesthetic_percent": D(5)}, "anaesthetic_percent"),
        ({"anaesthetic_percent": D(0)}, "anaesthetic_percent"),
        ({"anaesthetic": "none", "anaesthetic_percent": D(1)}, "anaesthetic_percent"),
        ({"count": 0}, "count"),
        ({"count": True}, "count"),
        ({"note": "n" * 201}, "note"),
    ],
)
def test_a_planned_injection_is_checked_field_by_field(adam_actor, rabago, change, field):
    with pytest.raises(ValidationError) as caught:
        protocol_injection_add(actor=adam_actor, protocol=rabago, **(GOOD_LINE | change))
    assert field in caught.value.message_dict


def test_a_planned_injection_is_added_at_the_end_and_audited(adam_actor, rabago):
    lines = len(rabago.injections)
    protocol_injection_add(actor=adam_actor, protocol=rabago, **GOOD_LINE)
    rabago.refresh_from_db()
    assert len(rabago.injections) == lines + 1
    assert rabago.injections[-1] == {
        "site_code": "knee-pes",
        "structure": "enthesis",
        "volume_ml": "0.5",
        "dextrose_percent": "15",
        "anaesthetic": "lidocaine",
        "anaesthetic_percent": "0.5",
        "count": 2,
        "note": "",
    }
    event = AuditEvent.objects.filter(action=AuditAction.UPDATE).latest("id")
    assert set(event.changes) == {"injections"}


def test_unknown_values_stay_empty_and_no_anaesthetic_means_zero(adam_actor, rabago):
    line = GOOD_LINE | {"volume_ml": None, "anaesthetic": "none", "anaesthetic_percent": None}
    protocol_injection_add(actor=adam_actor, protocol=rabago, **line)
    rabago.refresh_from_db()
    assert rabago.injections[-1]["volume_ml"] is None
    assert rabago.injections[-1]["anaesthetic_percent"] == "0"


def test_removing_a_planned_injection_keeps_the_others_in_order(adam_actor, rabago):
    sites = [line["site_code"] for line in rabago.injections]
    protocol_injection_remove(actor=adam_actor, protocol=rabago, index=1)
    rabago.refresh_from_db()
    assert [line["site_code"] for line in rabago.injections] == [sites[0], *sites[2:]]
    with pytest.raises(ValidationError):
        protocol_injection_remove(actor=adam_actor, protocol=rabago, index=99)


def test_a_whole_plan_with_a_bad_line_is_refused_naming_the_line(adam_actor, rabago):
    lines = [*rabago.injections, GOOD_LINE | {"volume_ml": "0"}]
    with pytest.raises(ValidationError) as caught:
        protocol_update(actor=adam_actor, protocol=rabago, injections=lines)
    message = caught.value.message_dict["injections"][0]
    assert message.startswith(f"Planned injection {len(lines)}: Volume (mL):")


# The next planned injection of a session.


PLAN: list[dict[str, Any]] = [
    {"site_code": "knee-ia", "count": 1},
    {"site_code": "knee-mcl", "count": 2},
    {"site_code": "knee-pes", "count": None},
]


@pytest.mark.parametrize(
    ("recorded", "expected"),
    [
        ([], "knee-ia"),
        (["knee-ia"], "knee-mcl"),
        (["knee-ia", "knee-mcl"], "knee-mcl"),
        (["knee-mcl", "knee-mcl"], "knee-ia"),  # recorded out of order
        (["knee-ia", "knee-mcl", "knee-mcl"], "knee-pes"),
        (["knee-ia", "knee-mcl", "knee-mcl", "knee-pes"], None),
        (["knee-lcl", "knee-lcl"], "knee-ia"),  # unplanned sites do not count
    ],
)
def test_the_next_planned_injection_is_the_first_not_yet_recorded(recorded, expected):
    line = next_planned(PLAN, recorded)
    assert (line["site_code"] if line else None) == expected


def test_a_planned_line_prefills_its_solution_and_leaves_unknowns_blank():
    line = LIBRARY_BY_KEY["knee-oa-rabago-2013"].injections[0].as_json()
    assert injection_initial(line) == {
        "site_code": "knee-ia",
        "structure": "joint",
        "volume_ml": "6",
        "dextrose_percent": "25",
        "anaesthetic": "lidocaine",
        "anaesthetic_percent": None,
    }


# Planning a course from a template.


def test_a_course_from_a_template_has_its_sessions_on_the_templates_weeks(alice_actor, pat, rabago):
    start = clinic_today(alice_actor.clinic) + dt.timedelta(days=3)
    protocol_update(actor=alice_actor, protocol=rabago, session_weeks=[0, 4, 9])
    rabago.refresh_from_db()
    course = make_course(
        alice_actor,
        pat,
        protocol=rabago,
        start_date=start,
        course_type="saline",
        target_region="hip",
        planned_sessions=7,
        interval_days=14,
    )
    assert course.protocol == rabago
    assert (course.course_type, course.target_region) == ("dextrose", "knee")
    assert course.planned_sessions == 3
    assert course.interval_days == 28
    sessions = course.sessions.order_by("number")
    days = [timezone.localtime(s.scheduled_at).date() for s in sessions]
    assert days == [start, start + dt.timedelta(weeks=4), start + dt.timedelta(weeks=9)]
    assert {timezone.localtime(s.scheduled_at).time() for s in sessions} == {dt.time(9, 0)}


def test_a_two_week_template_sets_a_14_day_interval(alice_actor, adam_actor, pat):
    kim = protocol_copy(actor=adam_actor, key="plantar-fasciitis-kim-2014")
    course = make_course(alice_actor, pat, protocol=kim)
    assert (course.planned_sessions, course.interval_days) == (2, 14)
    assert course.target_region == "ankle_foot"


def test_another_clinics_template_cannot_plan_a_course(alice_actor, charlie_actor, pat):
    theirs = protocol_copy(actor=charlie_actor, key="knee-oa-rabago-2013")
    with pytest.raises(ValidationError) as caught:
        make_course(alice_actor, pat, protocol=theirs)
    assert "protocol" in caught.value.message_dict
    assert not pat.courses.exists()


def test_a_template_no_longer_offered_cannot_plan_a_course(alice_actor, pat, rabago):
    protocol_update(actor=alice_actor, protocol=rabago, active=False)
    with pytest.raises(ValidationError) as caught:
        make_course(alice_actor, pat, protocol=rabago)
    assert "protocol" in caught.value.message_dict


def test_a_one_session_template_books_one_session_and_keeps_the_given_interval(
    alice_actor, pat, rabago
):
    protocol_update(actor=alice_actor, protocol=rabago, session_weeks=[0], optional_weeks=[])
    rabago.refresh_from_db()
    course = make_course(alice_actor, pat, protocol=rabago, interval_days=14)
    assert (course.planned_sessions, course.interval_days) == (1, 14)
    assert course.sessions.count() == 1
