"""Learn: the clinic's education articles, in the language the portal is shown in."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from prolo.clinic.services.articles import (
    FALLBACK_LANGUAGE,
    articles_ensure,
    published_article,
    published_articles,
)
from prolo.lib.http import PortalRequest
from prolo.lib.markdown import render_markdown
from prolo.portal.decorators import patient_view


def _language() -> str:
    # The portal's language comes from the patient's choice or the clinic's record of it
    # (prolo/portal/preferences.py); "es-mx" reads the Spanish articles.
    return (get_language() or FALLBACK_LANGUAGE).split("-")[0]


@patient_view
def learn(request: PortalRequest) -> HttpResponse:
    clinic = request.me.clinic
    articles_ensure(clinic)
    context = {
        "articles": published_articles(clinic, _language()),
        "patient": request.me.patient,
        "clinic": clinic,
        "nav": "learn",
    }
    return render(request, "portal/learn.html", context)


@patient_view
def learn_article(request: PortalRequest, slug: str) -> HttpResponse:
    clinic = request.me.clinic
    articles_ensure(clinic)
    article = published_article(clinic, _language(), slug)
    context = {
        "article": article,
        "body": render_markdown(article.body),
        "patient": request.me.patient,
        "clinic": clinic,
        "nav": "learn",
    }
    return render(request, "portal/learn_article.html", context)
