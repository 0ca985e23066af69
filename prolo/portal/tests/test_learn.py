"""Learn: the clinic's articles in the patient's language, each with the medical disclaimer."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from prolo.clinic.education_defaults import TOPICS
from prolo.clinic.models import Article
from prolo.clinic.services.articles import article_update, articles_install_defaults
from prolo.clinic.services.patients import patient_register
from prolo.clinic.services.portal_accounts import invitation_accept, invitation_send
from prolo.portal.tests.conftest import LINK_BASE, PORTAL_PASSWORD

pytestmark = pytest.mark.django_db
LEARN = reverse("portal:learn")
DISCLAIMER = "It is not medical advice for you"


def _page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _edit(actor, clinic, slug, language="en", **changes):
    article = Article.objects.get(clinic=clinic, slug=slug, language=language)
    fields = {n: getattr(article, n) for n in ("title", "summary", "body", "published", "position")}
    return article_update(actor=actor, article=article, **(fields | changes))


@pytest.fixture
def ana_client(rita_actor, alice_actor) -> Client:
    """Ana, a Spanish-speaking patient of Riverside, signed in through the portal's sign-in."""
    ana = patient_register(
        actor=rita_actor,
        mrn="R-0002",
        given_name="Ana",
        family_name="Ruiz",
        date_of_birth=dt.date(1958, 2, 1),
        sex="female",
        preferred_language="es",
    )
    issued = invitation_send(
        actor=alice_actor, patient=ana, email="ana@example.org", link_base=LINK_BASE
    )
    invitation_accept(token=issued.token, password=PORTAL_PASSWORD)
    client = Client()
    response = client.post(
        reverse("portal:sign-in"), {"email": "ana@example.org", "password": PORTAL_PASSWORD}
    )
    assert response.status_code == 302
    return client


def test_learn_lists_the_nine_topics_with_the_defaults_installed_on_first_visit(
    patient_client, clinic
):
    assert not Article.objects.filter(clinic=clinic).exists()
    page = _page(patient_client, LEARN)
    assert Article.objects.filter(clinic=clinic).count() == 18
    for slug in TOPICS:
        assert reverse("portal:learn-article", args=[slug]) in page
    assert "What is prolotherapy?" in page
    assert "When to call" in page
    assert 'aria-current="page">Learn</a>' in page


@pytest.mark.parametrize("slug", TOPICS)
def test_every_article_shows_the_medical_disclaimer(slug, patient_client):
    page = _page(patient_client, reverse("portal:learn-article", args=[slug]))
    assert DISCLAIMER in page
    # The title is the page's one h1; the article's own sections are h2s after it.
    assert page.count("<h1") == 1
    assert page.index("<h1") < page.index("<h2>")


def test_a_spanish_speaking_patient_reads_in_spanish(ana_client):
    index = _page(ana_client, LEARN)
    assert "¿Qué es la proloterapia?" in index
    assert "Cuándo llamar" in index
    assert "What is prolotherapy?" not in index
    page = _page(ana_client, reverse("portal:learn-article", args=["when-to-call"]))
    assert '<article class="article" lang="es">' in page
    assert "Llame ahora al número de emergencias" in page


def test_a_topic_missing_in_spanish_is_shown_in_english(ana_client, alice_actor, clinic):
    articles_install_defaults(clinic=clinic)
    _edit(alice_actor, clinic, "aftercare", "es", published=False)
    index = _page(ana_client, LEARN)
    assert "Aftercare: the days after a session" in index
    page = _page(ana_client, reverse("portal:learn-article", args=["aftercare"]))
    assert '<article class="article" lang="en">' in page


def test_unpublished_articles_are_not_shown(patient_client, alice_actor, clinic):
    articles_install_defaults(clinic=clinic)
    _edit(alice_actor, clinic, "types-of-prolotherapy", "en", published=False)
    assert "Types of prolotherapy" not in _page(patient_client, LEARN)
    url = reverse("portal:learn-article", args=["types-of-prolotherapy"])
    assert patient_client.get(url).status_code == 404
    assert patient_client.get(reverse("portal:learn-article", args=["nope"])).status_code == 404


def test_the_clinics_own_edits_are_what_its_patients_read(
    patient_client, alice_actor, charlie_actor, clinic, other_clinic
):
    articles_install_defaults(clinic=clinic)
    articles_install_defaults(clinic=other_clinic)
    _edit(alice_actor, clinic, "aftercare", title="After your visit to Riverside")
    _edit(charlie_actor, other_clinic, "side-effects", title="Hilltop's side effects")
    index = _page(patient_client, LEARN)
    assert "After your visit to Riverside" in index
    assert "Hilltop" not in index


def test_clinic_written_html_and_scripts_never_reach_the_page(patient_client, alice_actor, clinic):
    articles_install_defaults(clinic=clinic)
    body = (
        "## Read me\n<script>alert('x')</script>\n\n"
        '<img src=x onerror="alert(1)"> [call us](javascript:alert(1)) '
        '<a href="https://example.org" onclick="steal()">site</a> <iframe src="https://e.org">'
    )
    _edit(alice_actor, clinic, "aftercare", body=body)
    page = _page(patient_client, reverse("portal:learn-article", args=["aftercare"]))
    article = page.split('<article class="article"')[1].split("</article>")[0]
    assert "<h2>Read me</h2>" in article
    for bad in ("<script", "onerror", "javascript:", "onclick", "<iframe", "<img"):
        assert bad not in article, bad
    assert 'href="https://example.org"' in article
    assert "noopener" in article


def test_signed_out_visitors_are_sent_to_the_portal_sign_in(client):
    for url in (LEARN, reverse("portal:learn-article", args=["aftercare"])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("portal:sign-in"))


def test_staff_are_refused(alice, client_for):
    assert client_for(alice).get(LEARN).status_code == 403


def _queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        _page(client, LEARN)
    return len(queries)


def test_the_learn_page_runs_a_constant_number_of_queries(patient_client, clinic):
    articles_install_defaults(clinic=clinic)
    few = _queries(patient_client)
    for number in range(10):
        Article.objects.create(
            clinic=clinic, slug=f"extra-{number}", language="en", title=f"Extra {number}", body="x"
        )
    assert _queries(patient_client) == few
