"""A member of two clinics works in one at a time, and switches with a POST.

Charlie is a physician at Hilltop; here he also covers Riverside's front desk as reception.
Memberships are ordered by clinic name, so he starts in Hilltop.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from prolo.accounts.middleware import SESSION_CLINIC
from prolo.clinic.models import Clinic, Membership, Role

SWITCH = reverse("accounts:switch-clinic")


@pytest.fixture
def charlie_at_both(charlie, clinic):
    Membership.objects.create(user=charlie, clinic=clinic, role=Role.RECEPTION)
    return charlie


def _actor(client):
    response = client.get(reverse("staff:today"))
    assert response.status_code == 200
    return response.wsgi_request.actor


def _patient_list(client) -> str:
    return client.get(reverse("staff:patient-list")).content.decode()


def test_a_member_of_two_clinics_starts_in_one_and_sees_only_its_patients(
    charlie_at_both, client_for, other_clinic, pat, olga
):
    client = client_for(charlie_at_both)
    actor = _actor(client)
    assert actor.clinic == other_clinic
    assert actor.role == Role.PHYSICIAN
    page = _patient_list(client)
    assert "Novak" in page
    assert "Fields" not in page


def test_switching_changes_the_clinic_role_and_patients(
    charlie_at_both, client_for, clinic, pat, olga
):
    client = client_for(charlie_at_both)
    response = client.post(SWITCH, {"clinic": str(clinic.code)})

    assert response.status_code == 302
    assert response["Location"] == reverse("staff:today")
    assert client.session[SESSION_CLINIC] == str(clinic.code)
    actor = _actor(client)
    assert actor.clinic == clinic
    assert actor.role == Role.RECEPTION
    html = client.get(reverse("staff:today")).content.decode()
    assert "Dr Charlie Brooks · Reception" in html
    assert f'<option value="{clinic.code}" selected>' in html
    page = _patient_list(client)
    assert "Fields" in page
    assert "Novak" not in page


def test_the_new_role_decides_what_the_user_may_do(charlie_at_both, client_for, clinic, pat):
    client = client_for(charlie_at_both)
    client.post(SWITCH, {"clinic": str(clinic.code)})
    # A physician at Hilltop, but reception at Riverside: no course planning there.
    assert client.get(reverse("staff:course-new", args=[pat.code])).status_code == 403


def test_switching_back_restores_the_first_clinic(
    charlie_at_both, client_for, clinic, other_clinic
):
    client = client_for(charlie_at_both)
    client.post(SWITCH, {"clinic": str(clinic.code)})
    client.post(SWITCH, {"clinic": str(other_clinic.code)})
    actor = _actor(client)
    assert actor.clinic == other_clinic
    assert actor.role == Role.PHYSICIAN


@pytest.mark.parametrize("wanted", ["third", "not-a-uuid", "", "a\x00b"])
def test_switching_to_a_clinic_one_is_not_a_member_of_answers_404(
    charlie_at_both, client_for, other_clinic, wanted
):
    third = Clinic.objects.create(name="Lakeside Sports Medicine")
    client = client_for(charlie_at_both)
    value = str(third.code) if wanted == "third" else wanted
    response = client.post(SWITCH, {"clinic": value})
    assert response.status_code == 404
    assert SESSION_CLINIC not in client.session
    assert _actor(client).clinic == other_clinic


def test_an_inactive_membership_cannot_be_switched_to(charlie, client_for, clinic):
    Membership.objects.create(user=charlie, clinic=clinic, role=Role.NURSE, active=False)
    response = client_for(charlie).post(SWITCH, {"clinic": str(clinic.code)})
    assert response.status_code == 404


def test_a_single_clinic_user_cannot_switch_to_another_clinic(alice, client_for, other_clinic):
    response = client_for(alice).post(SWITCH, {"clinic": str(other_clinic.code)})
    assert response.status_code == 404


def test_switching_by_get_is_refused(charlie_at_both, client_for, clinic):
    client = client_for(charlie_at_both)
    response = client.get(SWITCH, {"clinic": str(clinic.code)})
    assert response.status_code == 405
    assert SESSION_CLINIC not in client.session


def test_signed_out_users_cannot_switch(client, clinic):
    response = client.post(SWITCH, {"clinic": str(clinic.code)})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_another_clinics_chart_is_404_until_the_user_switches(
    charlie_at_both, client_for, clinic, pat
):
    client = client_for(charlie_at_both)
    chart = reverse("staff:patient-chart", args=[pat.code])
    assert client.get(chart).status_code == 404

    client.post(SWITCH, {"clinic": str(clinic.code)})
    response = client.get(chart)
    assert response.status_code == 200
    assert "Pat Fields" in response.content.decode()


def test_a_chosen_clinic_that_is_no_longer_a_membership_falls_back(
    charlie_at_both, client_for, clinic, other_clinic
):
    client = client_for(charlie_at_both, clinic)
    assert _actor(client).clinic == clinic
    Membership.objects.filter(user=charlie_at_both, clinic=clinic).update(active=False)
    assert _actor(client).clinic == other_clinic
