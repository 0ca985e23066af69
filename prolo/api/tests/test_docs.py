"""The API's docs page works without the internet: Swagger UI from our own static files."""

from __future__ import annotations

import re

from django.contrib.staticfiles import finders


# "ninja" in INSTALLED_APPS (prolo/settings.py) is what makes ninja render its local-asset page
# and lets the static finders (and collectstatic) find the assets.
def test_the_docs_page_loads_swagger_from_our_static_files(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert "/static/ninja/swagger-ui-bundle.js" in sources
    assert all(not s.startswith(("http:", "https:", "//")) for s in sources), sources
    assert finders.find("ninja/swagger-ui-bundle.js") is not None
    assert '"url": "/api/v1/openapi.json"' in html


def test_the_schema_needs_no_token(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["info"]["title"] == "Prolo API"
    assert schema["components"]["securitySchemes"]["ApiTokenAuth"]["scheme"] == "bearer"
