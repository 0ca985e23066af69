"""The clinic's Instruments pages: the list and detail say what is shipped, unverified and
imported; the export downloads a Questionnaire; import and settings save through the services
and refuse bad input with a message beside the field."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from prolo.clinic.models import InstrumentSetting
from prolo.clinic.outcomes.fhir_questionnaire import to_questionnaire
from prolo.clinic.outcomes.instruments import INSTRUMENTS
from prolo.clinic.services.instruments import instrument_settings_update, instrument_text_import
from prolo.clinic.tests.test_fhir_questionnaire import full_text

WOMAC = INSTRUMENTS["womac"]
LICENCE = "WOMAC licence 2026-114"

pytestmark = pytest.mark.django_db


def _womac_json() -> str:
    return json.dumps(to_questionnaire(WOMAC, full_text(WOMAC)))


def _import_all(actor) -> None:
    for instrument in INSTRUMENTS.values():
        if not instrument.has_item_text:
            instrument_text_import(
                actor=actor,
                instrument=instrument.code,
                questionnaire=to_questionnaire(instrument, full_text(instrument)),
                licence_note=f"Licence for {instrument.code}",
            )


def _page(client, name: str, *args: str) -> str:
    response = client.get(reverse(f"staff:{name}", args=args))
    assert response.status_code == 200
    return response.content.decode()


def test_the_list_says_what_is_shipped_and_what_the_clinic_imports(alice, client_for):
    page = _page(client_for(alice), "instrument-list")
    assert "Pain numeric rating scale (0–10)" in page
    assert "Shipped" in page
    assert "Not shipped</span> Import under your licence" in page
    assert "Proprietary, licence fee" in page  # WOMAC's licence note
    assert "None shipped" in page  # the FFI has no MCID
    assert "Unverified" in page


def test_the_list_shows_the_import_date_and_licence(alice, alice_actor, client_for):
    _import_all(alice_actor)
    page = _page(client_for(alice), "instrument-list")
    assert "Imported on" in page
    assert "Licence: Licence for womac" in page
    assert "Not shipped</span>" not in page


# Pinned: the session (read, then saved: 3), user, membership, the open review tasks count in
# the navigation, and one query for all the clinic's instrument settings.
LIST_QUERIES = 8
DETAIL_QUERIES = 9  # the same, with one instrument's setting and who imported its text


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_list_runs_a_constant_number_of_queries(alice, alice_actor, client_for):
    client = client_for(alice)
    url = reverse("staff:instrument-list")
    before = _queries(client, url)
    _import_all(alice_actor)
    assert _queries(client, url) == before == LIST_QUERIES


def test_the_detail_runs_a_constant_number_of_queries(alice, alice_actor, client_for):
    client = client_for(alice)
    url = reverse("staff:instrument-detail", args=["womac"])
    _import_all(alice_actor)
    assert _queries(client, url) == DETAIL_QUERIES


def test_the_detail_shows_the_missing_text_note_and_the_shipped_minimums(nora, client_for):
    page = _page(client_for(nora), "instrument-detail", "womac")
    assert "The item text of the WOMAC LK3.1 is not shipped with Prolo" in page
    assert "Not shipped: import it under the clinic's licence." in page
    assert "Physical function" in page
    assert "MPCI, Ehrich 2000 [R75]" in page
    assert "Import the item text" not in page  # nurses read, they do not import


def test_the_detail_shows_the_imported_text_and_the_clinics_minimum(alice, alice_actor, client_for):
    _import_all(alice_actor)
    instrument_settings_update(
        actor=alice_actor,
        instrument="womac",
        min_answered={"pain": 5},
        mcid_points=Decimal(12),
        mcid_percent=None,
        mcid_source="Riverside consensus",
    )
    page = _page(client_for(alice), "instrument-detail", "womac")
    assert "Official wording of P1" in page
    assert "4: Label 4" in page
    assert "the clinic's own</strong>, 12.00 points (Riverside consensus)" in page
    assert "is not shipped with Prolo" not in page


def test_the_detail_lists_scores_with_their_loinc_codes(alice, client_for):
    page = _page(client_for(alice), "instrument-detail", "koos")
    assert "72101-9" in page
    assert "72091-2" in page


def test_an_unknown_instrument_is_404(alice, client_for):
    client = client_for(alice)
    for name in ("instrument-detail", "instrument-export", "instrument-import"):
        assert client.get(reverse(f"staff:{name}", args=["sf36"])).status_code == 404


def test_the_export_is_a_questionnaire_download_with_the_clinics_text(
    pete, alice_actor, client_for
):
    _import_all(alice_actor)
    response = client_for(pete).get(reverse("staff:instrument-export", args=["womac"]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="womac-questionnaire.json"'
    assert response["Content-Type"].startswith("application/fhir+json")
    data = json.loads(response.content)
    assert data["resourceType"] == "Questionnaire"
    assert data["item"][0]["item"][0]["text"] == "Official wording of P1"


def test_another_clinics_text_is_not_exported(charlie, alice_actor, client_for):
    _import_all(alice_actor)
    response = client_for(charlie).get(reverse("staff:instrument-export", args=["womac"]))
    assert "Official wording" not in response.content.decode()


def test_a_pasted_questionnaire_is_imported(adam, client_for):
    url = reverse("staff:instrument-import", args=["womac"])
    response = client_for(adam).post(url, {"questionnaire": _womac_json(), "licence_note": LICENCE})
    assert response.status_code == 302
    assert InstrumentSetting.objects.get().item_text["P1"]["text"] == "Official wording of P1"


def test_an_uploaded_questionnaire_is_imported(alice, client_for):
    url = reverse("staff:instrument-import", args=["womac"])
    upload = SimpleUploadedFile("womac.json", _womac_json().encode(), "application/json")
    response = client_for(alice).post(url, {"file": upload, "licence_note": LICENCE})
    assert response.status_code == 302
    assert InstrumentSetting.objects.get().licence_note == LICENCE


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"licence_note": LICENCE}, "Upload the Questionnaire file, or paste its JSON below."),
        (
            {"questionnaire": "{not json", "licence_note": LICENCE},
            "Questionnaire JSON: this is not valid JSON",
        ),
        (
            {"questionnaire": '{"resourceType": "Bundle"}', "licence_note": LICENCE},
            "This is a FHIR Bundle, not a FHIR Questionnaire.",
        ),
        (
            {"questionnaire": json.dumps(to_questionnaire(INSTRUMENTS["dash"]))},
            "This field is required.",
        ),
    ],
)
def test_a_bad_import_is_refused_with_a_message(data, message, alice, client_for):
    url = reverse("staff:instrument-import", args=["womac"])
    response = client_for(alice).post(url, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not InstrumentSetting.objects.exists()


def test_an_unreadable_upload_is_refused_beside_the_file_field(alice, client_for):
    url = reverse("staff:instrument-import", args=["womac"])
    upload = SimpleUploadedFile("womac.json", b"\xff\xfe\x00junk", "application/json")
    response = client_for(alice).post(url, {"file": upload, "licence_note": LICENCE})
    assert response.status_code == 400
    assert response.context["form"].errors["file"] == ["The file is not UTF-8 text (JSON)."]


def test_the_settings_form_saves_minimums_and_mcid(alice, client_for):
    url = reverse("staff:instrument-settings", args=["womac"])
    data = {
        "min_pain": "5",
        "min_stiffness": "",
        "min_function": "15",
        "mcid_points": "12",
        "mcid_percent": "",
        "mcid_source": "Riverside consensus",
    }
    response = client_for(alice).post(url, data)
    assert response.status_code == 302
    setting = InstrumentSetting.objects.get()
    assert setting.min_answered == {"pain": 5, "function": 15}
    assert setting.mcid_points == Decimal(12)


def test_a_minimum_too_large_is_shown_beside_its_subscale(alice, client_for):
    url = reverse("staff:instrument-settings", args=["womac"])
    response = client_for(alice).post(url, {"min_stiffness": "3"})
    assert response.status_code == 400
    assert response.context["form"].errors["min_stiffness"] == [
        "Stiffness: give 1 to 2 items (the shipped minimum is 1), or leave it blank for the "
        "shipped minimum."
    ]


def test_the_settings_form_starts_from_the_clinics_values(alice, alice_actor, client_for):
    instrument_settings_update(
        actor=alice_actor,
        instrument="womac",
        min_answered={"function": 16},
        mcid_points=None,
        mcid_percent=None,
        mcid_source="",
    )
    response = client_for(alice).get(reverse("staff:instrument-settings", args=["womac"]))
    assert response.context["form"].initial["min_function"] == 16


def test_the_clinic_nav_links_the_instruments(alice, client_for):
    page = _page(client_for(alice), "clinic-settings")
    assert reverse("staff:instrument-list") in page
