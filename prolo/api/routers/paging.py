"""Query parameters shared by list endpoints."""

from __future__ import annotations

from typing import Annotated

from ninja import Query

from prolo.api.schemas import MAX_LIMIT, MAX_OFFSET

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page (1–100).")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Items to skip.")]
