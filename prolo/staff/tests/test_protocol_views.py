"""The protocol pages, the course form's template choice, and the session's planned injections."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from prolo.clinic.clock import clinic_today
from prolo.clinic.models import AuditEvent, ProtocolTemplate
from prolo.clinic.safety.protocols import LIBRARY
from prolo.clinic.services.protocols import protocol_copy, protocol_update
from prolo.testing import add_injection, make_course, make_evaluation, make_note


@pytest.fixture
def rabago(adam_actor):
    return protocol_copy(actor=adam_actor, key="knee-oa-rabago-2013")


def test_the_list_shows_every_library_protocol_with_citation_and_unverified_parts(nora, client_for):
    html = client_for(nora).get(reverse("staff:protocol-list")).content.decode()
    for protocol in LIBRARY:
        assert escape(protocol.name) in html
        assert escape(protocol.citation) in html
        for part in protocol.unverified:
            assert escape(part) in html
    assert "Copy “" not in html  # a nurse reads, does not manage


def test_a_manager_copies_a_protocol_and_lands_on_the_copy(adam, client_for):
    client = client_for(adam)
    response = client.post(reverse("staff:protocol-copy"), {"key": "tmj-louw-2019"})
    template = ProtocolTemplate.objects.get()
    assert response["Location"] == reverse("staff:protocol-detail", args=[template.code])
    page = client.get(response["Location"]).content.decode()
    assert "Copied as “Temporomandibular dysfunction (Louw 2019)”" in page
    assert "Louw WF et al." in page
    listing = client.get(reverse("staff:protocol-list")).content.decode()
    assert f'href="{reverse("staff:protocol-detail", args=[template.code])}"' in listing


def test_the_copy_button_is_shown_to_managers(alice, client_for):
    html = client_for(alice).get(reverse("staff:protocol-list")).content.decode()
    assert "Copy “Knee osteoarthritis (Rabago 2013)” to this clinic" in html


def test_the_detail_page_shows_the_plan_and_its_unknowns(rabago, pete, client_for):
    html = client_for(pete).get(reverse("staff:protocol-detail", args=[rabago.code])).content
    html = html.decode()
    assert "Knee joint (intra-articular)" in html
    assert "6 mL" in html
    assert "(strength not given)" in html
    assert "Unverified parts" in html
    assert "Edit the template" not in html
    assert "Add a planned injection" not in html


def test_another_clinics_template_is_not_found(rabago, charlie, client_for):
    response = client_for(charlie).get(reverse("staff:protocol-detail", args=[rabago.code]))
    assert response.status_code == 404


def test_editing_the_weeks_saves_them(rabago, adam, client_for):
    data = {
        "name": "Knee OA (ours)",
        "condition": rabago.condition,
        "session_weeks": "0, 3, 6",
        "optional_weeks": "",
        "max_session_volume_ml": "20",
        "evidence": rabago.evidence,
        "unverified": rabago.unverified,
        "active": "on",
        "outcome_instruments": ["pain_nrs"],
    }
    url = reverse("staff:protocol-edit", args=[rabago.code])
    response = client_for(adam).post(url, data)
    assert response.status_code == 302
    rabago.refresh_from_db()
    assert (rabago.name, rabago.session_weeks, rabago.optional_weeks) == (
        "Knee OA (ours)",
        [0, 3, 6],
        [],
    )


def test_the_edit_form_shows_the_weeks_as_text(rabago, adam, client_for):
    html = client_for(adam).get(reverse("staff:protocol-edit", args=[rabago.code])).content
    assert 'value="0, 4, 8"' in html.decode()
    assert 'value="12, 16"' in html.decode()


def test_weeks_out_of_order_are_refused_beside_the_weeks_field(rabago, adam, client_for):
    data = {
        "name": rabago.name,
        "condition": rabago.condition,
        "session_weeks": "0, 8, 4",
        "optional_weeks": "",
        "outcome_instruments": ["pain_nrs"],
    }
    url = reverse("staff:protocol-edit", args=[rabago.code])
    response = client_for(adam).post(url, data)
    assert response.status_code == 400
    assert response.context["form"].errors["session_weeks"] == [
        "Each week must be later than the one before."
    ]
    assert "Session weeks: Each week must be later than the one before." in (
        response.content.decode()
    )


def test_a_bad_planned_injection_is_refused_beside_its_field(rabago, adam, client_for):
    data = {
        "line-site_code": "knee-pes",
        "line-structure": "enthesis",
        "line-volume_ml": "1",
        "line-dextrose_percent": "15",
        "line-anaesthetic": "none",
        "line-anaesthetic_percent": "1",
    }
    url = reverse("staff:protocol-injection-add", args=[rabago.code])
    response = client_for(adam).post(url, data)
    assert response.status_code == 400
    assert "Anaesthetic (%): Leave it at 0 when no anaesthetic is chosen." in (
        response.content.decode()
    )


def test_a_planned_injection_is_added_and_removed(rabago, adam, client_for):
    client = client_for(adam)
    count = len(rabago.injections)
    data = {
        "line-site_code": "knee-pes",
        "line-structure": "enthesis",
        "line-volume_ml": "1",
        "line-dextrose_percent": "15",
        "line-anaesthetic": "lidocaine",
        "line-anaesthetic_percent": "0.5",
        "line-count": "2",
    }
    client.post(reverse("staff:protocol-injection-add", args=[rabago.code]), data)
    rabago.refresh_from_db()
    assert len(rabago.injections) == count + 1
    client.post(reverse("staff:protocol-injection-remove", args=[rabago.code, count]))
    rabago.refresh_from_db()
    assert len(rabago.injections) == count


def test_removing_a_planned_injection_that_is_gone_says_so(rabago, adam, client_for):
    client = client_for(adam)
    url = reverse("staff:protocol-injection-remove", args=[rabago.code, 99])
    response = client.post(url, follow=True)
    assert "That planned injection is no longer in the template." in response.content.decode()


# The course form.


def test_the_course_form_offers_the_clinics_active_templates_only(
    rabago, adam_actor, charlie_actor, alice, pat, client_for
):
    tmj = protocol_copy(actor=adam_actor, key="tmj-louw-2019")
    protocol_update(actor=adam_actor, protocol=tmj, active=False)
    theirs = protocol_copy(actor=charlie_actor, key="achilles-yelland-2011")
    response = client_for(alice).get(reverse("staff:course-new", args=[pat.code]))
    choices = list(response.context["form"].fields["protocol"].queryset)
    assert choices == [rabago]
    assert theirs.name not in response.content.decode()


def test_a_protocol_in_the_query_prefills_the_course_form(rabago, alice, pat, client_for):
    url = reverse("staff:course-new", args=[pat.code])
    response = client_for(alice).get(url, {"protocol": str(rabago.code)})
    initial = response.context["form"].initial
    assert initial["protocol"] == rabago.pk
    assert (initial["course_type"], initial["target_region"]) == ("dextrose", "knee")
    assert (initial["planned_sessions"], initial["interval_days"]) == (3, 28)
    assert initial["follow_ups"] == rabago.follow_ups


def test_a_course_planned_from_a_template_takes_its_questionnaire_schedule(
    rabago, adam_actor, alice_actor, pat
):
    from prolo.testing import make_course

    protocol_update(
        actor=adam_actor,
        protocol=rabago,
        outcome_instruments=["pain_nrs", "womac"],
        session_instruments=[],
        follow_ups=["3m", "6w"],
    )
    rabago.refresh_from_db()
    course = make_course(alice_actor, pat, protocol=rabago, outcome_instruments=["pain_nrs"])
    assert (course.outcome_instruments, course.session_instruments, course.follow_ups) == (
        ["pain_nrs", "womac"],
        [],
        ["6w", "3m"],
    )


@pytest.mark.parametrize("code", ["not-a-uuid", "", "\x00", "x" * 10_000])
def test_a_malformed_protocol_in_the_query_is_ignored(code, alice, pat, client_for):
    response = client_for(alice).get(
        reverse("staff:course-new", args=[pat.code]), {"protocol": code}
    )
    assert response.status_code == 200
    assert "protocol" not in response.context["form"].initial


def test_another_clinics_protocol_in_the_query_is_ignored(charlie_actor, alice, pat, client_for):
    theirs = protocol_copy(actor=charlie_actor, key="knee-oa-rabago-2013")
    url = reverse("staff:course-new", args=[pat.code])
    response = client_for(alice).get(url, {"protocol": str(theirs.code)})
    assert "protocol" not in response.context["form"].initial


def test_planning_a_course_with_a_template_books_its_weeks(
    rabago, alice, alice_actor, pat, client_for
):
    evaluation = make_evaluation(alice_actor, pat)
    start = clinic_today(alice_actor.clinic) + dt.timedelta(days=1)
    data = {
        "evaluation": evaluation.pk,
        "protocol": rabago.pk,
        "course_type": "dextrose",
        "target_region": "knee",
        "laterality": "left",
        "targets": "Joint and insertions",
        "planned_sessions": "3",
        "interval_days": "28",
        "start_date": start.isoformat(),
        "first_session_time": "10:00",
        "practitioner": alice.pk,
        "room": "",
    }
    response = client_for(alice).post(reverse("staff:course-new", args=[pat.code]), data)
    assert response.status_code == 302
    course = pat.courses.get()
    assert course.protocol == rabago
    days = [timezone.localtime(s.scheduled_at).date() for s in course.sessions.all()]
    assert days == [start + dt.timedelta(weeks=w) for w in (0, 4, 8)]


def test_with_a_template_the_type_region_and_schedule_may_be_left_blank(
    rabago, alice, alice_actor, pat, client_for
):
    evaluation = make_evaluation(alice_actor, pat)
    data = {
        "evaluation": evaluation.pk,
        "protocol": rabago.pk,
        "laterality": "left",
        "targets": "Joint",
        "start_date": clinic_today(alice_actor.clinic).isoformat(),
        "first_session_time": "10:00",
    }
    response = client_for(alice).post(reverse("staff:course-new", args=[pat.code]), data)
    assert response.status_code == 302
    course = pat.courses.get()
    assert (course.course_type, course.target_region) == ("dextrose", "knee")
    assert (course.planned_sessions, course.interval_days) == (3, 28)


def test_without_a_template_the_type_is_still_required(alice, alice_actor, pat, client_for):
    evaluation = make_evaluation(alice_actor, pat)
    data = {"evaluation": evaluation.pk, "laterality": "left", "targets": "Joint"}
    response = client_for(alice).post(reverse("staff:course-new", args=[pat.code]), data)
    assert "course_type" in response.context["form"].errors
    assert not pat.courses.exists()


# The session page.


def test_the_session_page_lists_the_planned_injections_and_prefills_the_next(
    rabago, alice, alice_actor, pat, client_for
):
    course = make_course(alice_actor, pat, protocol=rabago)
    session = course.sessions.get(number=1)
    note = make_note(alice_actor, session)
    client = client_for(alice)
    url = reverse("staff:session-detail", args=[session.code])

    response = client.get(url)
    html = response.content.decode()
    assert "Planned injections" in html
    assert "Knee, pes anserine insertion" in html
    initial = response.context["forms"]["injection"].initial
    assert (initial["site_code"], initial["volume_ml"], initial["dextrose_percent"]) == (
        "knee-ia",
        "6",
        "25",
    )
    assert initial["anaesthetic_percent"] is None  # not in the source: the physician enters it

    add_injection(alice_actor, note, site_code="knee-ia", structure="joint")
    initial = client.get(url).context["forms"]["injection"].initial
    assert (initial["site_code"], initial["volume_ml"], initial["dextrose_percent"]) == (
        "knee-mcl",
        "0.5",
        "15",
    )
    assert initial["needle_gauge"] == 27  # kept from the last injection


def test_a_course_without_a_template_lists_no_planned_injections(
    alice, alice_actor, pat, client_for
):
    session = make_course(alice_actor, pat).sessions.get(number=1)
    html = client_for(alice).get(reverse("staff:session-detail", args=[session.code])).content
    assert "Planned injections" not in html.decode()


def test_template_pages_write_no_audit_row_on_reading(rabago, nora, client_for):
    before = AuditEvent.objects.count()
    client_for(nora).get(reverse("staff:protocol-detail", args=[rabago.code]))
    client_for(nora).get(reverse("staff:protocol-list"))
    assert AuditEvent.objects.count() == before
