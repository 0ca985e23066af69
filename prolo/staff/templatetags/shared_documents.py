"""What the chart's "Shared with the patient" section needs, fetched in one query.

The chart's context (staff/views/chart.py) stays as it is: the section brings its own data,
and the share form with its errors when the upload was refused.
"""

from __future__ import annotations

from typing import Any

from django import template

from prolo.clinic.services.shared_documents import SHARE_PERM, chart_documents
from prolo.staff.article_forms import SharedDocumentForm

register = template.Library()


@register.simple_tag(takes_context=True)
def shared_documents_panel(context: dict[str, Any]) -> dict[str, Any]:
    actor = context.get("actor")
    return {
        "documents": chart_documents(context["patient"]),
        "form": context.get("share_form") or SharedDocumentForm(),
        "can_share": actor is not None and actor.can(SHARE_PERM),
    }
