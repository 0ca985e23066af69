"""Small stored images inlined as data: URIs, for pages and PDFs that load no other file.

Uploaded files are never served from MEDIA_URL (settings.py), and WeasyPrint renders with no
base URL, so a clinic's logo travels inside the page or the document.
"""

from __future__ import annotations

import base64

from django.db.models.fields.files import FieldFile

_TYPES = {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg"}


def data_uri(file: FieldFile | None) -> str:
    """The file as a data: URI, or "" when there is none or it cannot be read."""
    if not file:
        return ""
    kind = _TYPES.get(file.name.rsplit(".", 1)[-1].lower(), "") if file.name else ""
    if not kind:
        return ""
    try:
        with file.open("rb") as handle:
            content = handle.read()
    except OSError:  # a missing file must not stop a letter from printing
        return ""
    return f"data:{kind};base64,{base64.b64encode(content).decode('ascii')}"
