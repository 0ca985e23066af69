"""Education articles: a clinic's copies of the defaults, edited on the staff side, read in the
portal. See docs/portal.md, "Learn and documents".
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from prolo.clinic.access import require
from prolo.clinic.education_defaults import DEFAULT_ARTICLES
from prolo.clinic.models import Article, Clinic
from prolo.clinic.permissions import Actor, Perm
from prolo.clinic.services.audit import update_audited
from prolo.clinic.services.fields import pick

ARTICLE_FIELDS = ("title", "summary", "body", "published", "position")
# Long enough for a thorough article (the defaults are under 2,500 characters), short enough
# that a pasted document or a runaway paste is refused with a message instead of stored.
BODY_MAX_CHARS = 20_000
FALLBACK_LANGUAGE = "en"


@transaction.atomic
def articles_install_defaults(*, clinic: Clinic) -> int:
    """Give a clinic the default articles it does not have yet; returns how many were added.

    Idempotent: an article the clinic already has (by topic and language) is left as the
    clinic edited it. Part of setting up a clinic, like clinic_safety_install: no audit row.
    """
    # Two first visits at once would both insert the defaults: one install at a time.
    Clinic.objects.select_for_update().get(pk=clinic.pk)
    have = set(Article.objects.filter(clinic=clinic).values_list("slug", "language"))
    added = 0
    for default in DEFAULT_ARTICLES:
        if (default.slug, default.language) in have:
            continue
        article = Article(
            clinic=clinic,
            slug=default.slug,
            language=default.language,
            title=default.title,
            summary=default.summary,
            body=default.body.strip(),
            position=default.position,
        )
        article.full_clean()
        article.save(force_insert=True)
        added += 1
    return added


def articles_ensure(clinic: Clinic) -> None:
    """Install the defaults the first time a clinic's articles are looked at.

    Checked outside a transaction, so reading pages do not take SQLite's write lock.
    """
    if not Article.objects.filter(clinic=clinic).exists():
        articles_install_defaults(clinic=clinic)


def clinic_articles(clinic: Clinic) -> QuerySet[Article]:
    return Article.objects.filter(clinic=clinic).select_related("updated_by")


def published_articles(clinic: Clinic, language: str) -> list[Article]:
    """The clinic's published articles in `language`, each topic falling back to English."""
    wanted = {language, FALLBACK_LANGUAGE}
    rows = Article.objects.filter(clinic=clinic, published=True, language__in=wanted)
    chosen: dict[str, Article] = {}
    for article in rows:
        if article.slug not in chosen or article.language == language:
            chosen[article.slug] = article
    return sorted(chosen.values(), key=lambda a: (a.position, a.title, a.pk))


def published_article(clinic: Clinic, language: str, slug: str) -> Article:
    for article in published_articles(clinic, language):
        if article.slug == slug:
            return article
    raise Http404("No such article.")


def article_check(fields: dict[str, Any]) -> None:
    """The article rules the form cannot know: a title and a body, and the body's length."""
    errors: dict[str, str] = {}
    if "title" in fields and not fields["title"]:
        errors["title"] = "Give the article a title."
    body = fields.get("body")
    if body is not None and not body:
        errors["body"] = "Write the article's text."
    elif body is not None and len(body) > BODY_MAX_CHARS:
        errors["body"] = (
            f"The text is {len(body):,} characters long; shorten it to {BODY_MAX_CHARS:,} "
            "or fewer, or split it into two articles."
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def article_update(*, actor: Actor, article: Article, **fields: Any) -> Article:
    require(actor, Perm.MANAGE_SAFETY)
    fields = pick(fields, ARTICLE_FIELDS)
    article_check(fields)
    if any(getattr(article, name) != value for name, value in fields.items()):
        # Saving with update_fields skips auto_now, so the edit's time is set here.
        fields |= {"updated_by": actor.user, "updated_at": timezone.now()}
    return update_audited(actor=actor, instance=article, patient=None, changes=fields)
