"""Clinic → Articles: the education articles patients read in the portal, per language."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import SafeString

from prolo.clinic.access import get_article
from prolo.clinic.models import Article, Language
from prolo.clinic.permissions import Perm
from prolo.clinic.services.articles import (
    ARTICLE_FIELDS,
    article_check,
    article_update,
    articles_ensure,
    clinic_articles,
)
from prolo.clinic.services.fields import pick
from prolo.lib.forms import add_service_errors, submit
from prolo.lib.http import StaffRequest
from prolo.lib.markdown import render_markdown
from prolo.staff.article_forms import ArticleForm
from prolo.staff.decorators import staff_view


@staff_view(Perm.VIEW_CLINICAL)
def article_list(request: StaffRequest) -> HttpResponse:
    articles_ensure(request.actor.clinic)
    by_language: dict[str, list[Article]] = {}
    for article in clinic_articles(request.actor.clinic):
        by_language.setdefault(article.language, []).append(article)
    languages = [
        (code, label, by_language[code]) for code, label in Language.choices if code in by_language
    ]
    context = {
        "languages": languages,
        "can_manage": request.actor.can(Perm.MANAGE_SAFETY),
        "nav": "clinic",
    }
    return render(request, "staff/article_list.html", context)


@staff_view()
def article_detail(request: StaffRequest, language: str, slug: str) -> HttpResponse:
    articles_ensure(request.actor.clinic)
    article = get_article(request.actor, language, slug, Perm.VIEW_CLINICAL)
    context = {
        "article": article,
        "body": render_markdown(article.body),
        "can_manage": request.actor.can(Perm.MANAGE_SAFETY),
        "nav": "clinic",
    }
    return render(request, "staff/article_detail.html", context)


def _preview(form: ArticleForm) -> SafeString | None:
    try:
        article_check(pick(form.cleaned_data, ARTICLE_FIELDS))
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None
    return render_markdown(form.cleaned_data["body"])


@staff_view()
def article_edit(request: StaffRequest, language: str, slug: str) -> HttpResponse:
    articles_ensure(request.actor.clinic)
    article = get_article(request.actor, language, slug, Perm.MANAGE_SAFETY)
    form = ArticleForm(request.POST or None, initial=model_to_dict(article, ARTICLE_FIELDS))
    preview = None
    if "preview" in request.POST:
        # Show the text as patients will see it, without saving anything.
        if form.is_valid():
            preview = _preview(form)
    elif submit(request, form, article_update, actor=request.actor, article=article):
        messages.success(request, f"“{article.title}” is saved.")
        return redirect("staff:article-detail", language=article.language, slug=article.slug)
    context = {"form": form, "article": article, "preview": preview, "nav": "clinic"}
    return render(request, "staff/article_form.html", context, status=400 if form.errors else 200)
