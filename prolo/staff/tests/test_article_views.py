"""Clinic → Articles on the staff side, and sharing documents from the patient chart."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from prolo.clinic.models import Article, AuditEvent, SharedDocument

pytestmark = pytest.mark.django_db
EDIT = reverse("staff:article-edit", args=["en", "aftercare"])
DETAIL = reverse("staff:article-detail", args=["en", "aftercare"])


def _form(**changes):
    return {
        "title": "Aftercare at Riverside",
        "summary": "What to do after a session.",
        "body": "## Soreness\nIt is **normal**.\n\n- rest\n- move gently",
        "published": "on",
        "position": "7",
    } | changes


def test_the_articles_page_installs_the_defaults_and_lists_both_languages(nora, client_for, clinic):
    page = client_for(nora).get(reverse("staff:article-list")).content.decode()
    assert Article.objects.filter(clinic=clinic).count() == 18
    assert '<h2 id="lang-en">English</h2>' in page
    assert '<h2 id="lang-es">Spanish</h2>' in page
    assert "What is prolotherapy?" in page
    assert "¿Qué es la proloterapia?" in page
    assert "Edit" not in page  # a nurse reads, only managers edit
    assert 'aria-current="page">Articles</a>' in page


def test_a_clinical_reader_reads_an_article_with_its_disclaimer(pete, client_for):
    page = client_for(pete).get(DETAIL).content.decode()
    assert "<h1>Aftercare: the days after a session</h1>" in page
    assert "<h2>Expect some soreness</h2>" in page
    assert "Medical disclaimer" in page
    assert client_for(pete).get(EDIT).status_code == 403


def test_a_spanish_article_shows_its_disclaimer_in_spanish_to_staff(alice, client_for):
    url = reverse("staff:article-detail", args=["es", "aftercare"])
    page = client_for(alice).get(url).content.decode()
    assert '<article lang="es"' in page
    assert "Cuidados: los días después de una sesión" in page


def test_a_physician_edits_an_article_and_the_edit_is_audited(alice, client_for, clinic):
    client = client_for(alice)
    response = client.post(EDIT, _form())
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "“Aftercare at Riverside” is saved." in page
    assert "<strong>normal</strong>" in page
    article = Article.objects.get(clinic=clinic, slug="aftercare", language="en")
    assert (article.title, article.position, article.updated_by) == (
        "Aftercare at Riverside",
        7,
        alice,
    )
    event = AuditEvent.objects.get(object_type="article")
    assert event.patient is None
    assert event.actor == alice


def test_preview_shows_the_sanitised_text_and_saves_nothing(adam, client_for, clinic):
    body = "## Heads up\n<script>alert(1)</script>[x](javascript:alert(1)) <b onclick=x>b</b>"
    response = client_for(adam).post(EDIT, _form(body=body, preview="1"))
    assert response.status_code == 200
    preview = response.content.decode().split("Preview: not saved yet")[1]
    assert "<h2>Heads up</h2>" in preview
    assert "<script" not in preview
    assert "javascript:" not in preview
    assert "onclick" not in preview
    assert not AuditEvent.objects.filter(object_type="article").exists()
    assert Article.objects.get(clinic=clinic, slug="aftercare", language="en").body != body


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": " "}, "This field is required."),
        ({"body": "x" * 20_001}, "shorten it to 20,000 or fewer"),
        ({"position": "1000"}, "less than or equal to 999"),
    ],
)
def test_bad_edits_are_refused_beside_their_field(changes, message, alice, client_for):
    for extra in ({}, {"preview": "1"}):
        response = client_for(alice).post(EDIT, _form(**changes) | extra)
        assert response.status_code == 400
        assert message in response.content.decode()
    assert not AuditEvent.objects.filter(object_type="article").exists()


def test_unknown_articles_are_not_found(alice, client_for):
    assert (
        client_for(alice).get(reverse("staff:article-edit", args=["en", "nope"])).status_code == 404
    )
    assert (
        client_for(alice).get(reverse("staff:article-detail", args=["fr", "aftercare"])).status_code
        == 404
    )


# Sharing documents from the chart


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _share(client, patient, name="letter.pdf", data=b"%PDF-1.4 letter", title="Your letter"):
    url = reverse("staff:shared-document-add", args=[patient.code])
    return client.post(url, {"title": title, "file": SimpleUploadedFile(name, data)})


def test_a_nurse_shares_a_document_from_the_chart(nora, client_for, pat):
    client = client_for(nora)
    chart = client.get(reverse("staff:patient-chart", args=[pat.code])).content.decode()
    assert "Shared with the patient" in chart
    assert "Nothing shared yet." in chart
    response = _share(client, pat, name="x" * 150 + ".pdf")
    assert response.status_code == 302
    assert response["Location"].endswith("#documents-heading")
    chart = client.get(response["Location"]).content.decode()
    assert "“Your letter” is shared" in chart
    assert "Visible to the patient" in chart
    assert "Withdraw “Your letter”" in chart


def test_a_refused_upload_shows_the_chart_with_the_error_beside_the_field(nora, client_for, pat):
    response = _share(client_for(nora), pat, name="virus.exe", data=b"MZ")
    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_file_error"' in page
    assert "Share a PDF, PNG, JPEG or plain text (.txt) file." in page
    assert not SharedDocument.objects.exists()
    missing = client_for(nora).post(
        reverse("staff:shared-document-add", args=[pat.code]), {"title": "x"}
    )
    assert missing.status_code == 400
    assert "This field is required." in missing.content.decode()


def test_withdrawing_from_the_chart(pete, client_for, pat):
    client = client_for(pete)
    _share(client, pat)
    document = SharedDocument.objects.get()
    response = client.post(reverse("staff:shared-document-withdraw", args=[document.code]))
    assert response.status_code == 302
    chart = client.get(response["Location"]).content.decode()
    assert "is withdrawn: the patient no longer sees it." in chart
    assert "Withdrawn" in chart
    assert "Withdraw “Your letter”" not in chart


def test_clinic_admins_see_shared_documents_but_cannot_share(nora, adam, rita, client_for, pat):
    _share(client_for(nora), pat)
    chart = client_for(adam).get(reverse("staff:patient-chart", args=[pat.code])).content.decode()
    assert "Your letter" in chart
    assert "Share a document" not in chart
    assert "Withdraw" not in chart
    reception = client_for(rita).get(reverse("staff:patient-chart", args=[pat.code]))
    assert "Shared with the patient" not in reception.content.decode()


def _chart_queries(client, patient) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("staff:patient-chart", args=[patient.code])).status_code == 200
    return len(queries)


def test_the_chart_costs_the_same_queries_with_more_shared_documents(nora, client_for, pat):
    client = client_for(nora)
    _share(client, pat)
    few = _chart_queries(client, pat)
    for number in range(4):
        _share(client, pat, title=f"Sheet {number}")
    assert _chart_queries(client, pat) == few
