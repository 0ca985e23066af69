"""Education articles: the defaults a clinic starts with, editing them, and reading them."""

from __future__ import annotations

import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from prolo.clinic.education_defaults import DEFAULT_ARTICLES, LANGUAGES, TOPICS
from prolo.clinic.models import Article, AuditEvent
from prolo.clinic.services.articles import (
    BODY_MAX_CHARS,
    article_update,
    articles_install_defaults,
    published_articles,
)
from prolo.lib.markdown import render_markdown

pytestmark = pytest.mark.django_db


def _article(clinic, slug="aftercare", language="en") -> Article:
    return Article.objects.get(clinic=clinic, slug=slug, language=language)


def _edit(actor, article, **changes):
    fields = {
        "title": article.title,
        "summary": article.summary,
        "body": article.body,
        "published": article.published,
        "position": article.position,
    }
    return article_update(actor=actor, article=article, **(fields | changes))


def test_the_defaults_cover_nine_topics_in_english_and_spanish():
    assert TOPICS == (
        "what-is-prolotherapy",
        "types-of-prolotherapy",
        "how-it-works",
        "preparing",
        "the-procedure",
        "how-many-sessions",
        "aftercare",
        "side-effects",
        "when-to-call",
    )
    pairs = {(a.slug, a.language) for a in DEFAULT_ARTICLES}
    assert pairs == set(itertools.product(TOPICS, LANGUAGES))
    assert len(DEFAULT_ARTICLES) == 18


@pytest.mark.parametrize("default", DEFAULT_ARTICLES, ids=lambda a: f"{a.slug}-{a.language}")
def test_each_default_is_plain_markdown_whose_headings_start_at_level_two(default):
    html = render_markdown(default.body)
    assert "<h2>" in html
    assert "<h1" not in html
    assert not default.body.startswith("# ")
    assert "<" not in default.body  # no raw HTML for the sanitiser to remove
    assert default.title
    assert default.summary
    assert len(default.summary) <= 300


def test_the_spanish_defaults_are_in_spanish():
    spanish = {a.slug: a for a in DEFAULT_ARTICLES if a.language == "es"}
    assert spanish["when-to-call"].title == "Cuándo llamar"
    assert "Llame ahora al número de emergencias" in spanish["when-to-call"].body
    assert "Llame hoy a la clínica" in spanish["when-to-call"].body


def test_when_to_call_separates_emergencies_from_calling_the_clinic():
    english = next(a for a in DEFAULT_ARTICLES if a.slug == "when-to-call" and a.language == "en")
    emergency, clinic = english.body.split("## Call the clinic today")
    assert "emergency number now" in emergency
    assert "trouble breathing" in emergency
    assert "fever" in clinic
    # The same split as the portal's advice after a diary day (outcomes/advice.py).
    assert "numbness" in emergency
    assert "numbness" not in clinic
    assert "severe headache after injections near your spine" in emergency
    assert "spreading" in clinic


def test_defaults_install_once(clinic):
    assert articles_install_defaults(clinic=clinic) == 18
    assert articles_install_defaults(clinic=clinic) == 0
    assert Article.objects.filter(clinic=clinic).count() == 18


def test_installing_again_keeps_the_clinics_edits_and_adds_what_is_missing(clinic, alice_actor):
    articles_install_defaults(clinic=clinic)
    _edit(alice_actor, _article(clinic), title="After your injections")
    _article(clinic, "side-effects", "es").delete()
    assert articles_install_defaults(clinic=clinic) == 1
    assert _article(clinic).title == "After your injections"
    assert _article(clinic, "side-effects", "es").title == "Efectos secundarios"


def test_each_clinic_gets_its_own_copies(clinic, other_clinic, alice_actor):
    articles_install_defaults(clinic=clinic)
    articles_install_defaults(clinic=other_clinic)
    _edit(alice_actor, _article(clinic), title="Riverside aftercare")
    assert _article(other_clinic).title == "Aftercare: the days after a session"


def test_an_edit_is_audited_at_clinic_level_with_old_and_new(clinic, alice_actor, alice):
    articles_install_defaults(clinic=clinic)
    article = _edit(alice_actor, _article(clinic), title="After your injections", published=False)
    event = AuditEvent.objects.get(action="update", object_type="article")
    assert event.patient is None
    assert event.actor == alice
    assert event.changes["title"] == [
        "Aftercare: the days after a session",
        "After your injections",
    ]
    assert event.changes["published"] == [True, False]
    article.refresh_from_db()
    assert article.updated_by == alice


def test_saving_without_a_change_writes_no_audit_row(clinic, alice_actor):
    articles_install_defaults(clinic=clinic)
    article = _edit(alice_actor, _article(clinic))
    assert not AuditEvent.objects.filter(object_type="article").exists()
    assert article.updated_by is None


@pytest.mark.parametrize("who", ["nora_actor", "pete_actor", "rita_actor"])
def test_only_physicians_and_clinic_admins_edit_articles(who, clinic, request, adam_actor):
    articles_install_defaults(clinic=clinic)
    with pytest.raises(PermissionDenied):
        _edit(request.getfixturevalue(who), _article(clinic), title="Changed")
    _edit(adam_actor, _article(clinic), title="Changed by the admin")
    assert _article(clinic).title == "Changed by the admin"


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"title": "  "}, "title", "Give the article a title."),
        ({"body": "\n "}, "body", "Write the article's text."),
        ({"body": "x" * (BODY_MAX_CHARS + 1)}, "body", "shorten it to 20,000"),
        ({"summary": "a\x00b"}, "summary", "NUL"),
    ],
)
def test_bad_edits_are_refused_naming_the_field(changes, field, words, clinic, alice_actor):
    articles_install_defaults(clinic=clinic)
    with pytest.raises(ValidationError) as refused:
        _edit(alice_actor, _article(clinic), **changes)
    assert words in " ".join(refused.value.message_dict[field])
    assert _article(clinic).title == "Aftercare: the days after a session"
    assert not AuditEvent.objects.filter(object_type="article").exists()


def test_patients_read_their_language_falling_back_to_english_per_topic(clinic, alice_actor):
    articles_install_defaults(clinic=clinic)
    _edit(alice_actor, _article(clinic, "aftercare", "es"), published=False)
    _edit(alice_actor, _article(clinic, "side-effects", "en"), published=False)
    spanish = {a.slug: a.language for a in published_articles(clinic, "es")}
    assert spanish["aftercare"] == "en"  # its Spanish version is not published
    assert spanish["what-is-prolotherapy"] == "es"
    english = [a.slug for a in published_articles(clinic, "en")]
    assert "side-effects" not in english
    assert english == [t for t in TOPICS if t != "side-effects"]  # in the clinic's order


def test_a_language_without_articles_reads_english(clinic):
    articles_install_defaults(clinic=clinic)
    assert {a.language for a in published_articles(clinic, "fr")} == {"en"}
