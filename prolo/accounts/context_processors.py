from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def clinic(request: HttpRequest) -> dict[str, Any]:
    return {
        "actor": getattr(request, "actor", None),
        "memberships": getattr(request, "memberships", []),
    }
