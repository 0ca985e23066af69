"""The planned injections of a course from a template, on the session page."""

from __future__ import annotations

from django.urls import reverse

from prolo.clinic.services.protocols import protocol_copy
from prolo.testing import make_course


def test_rabagos_maximum_is_shown_as_extra_articular_with_the_joint_on_top(
    alice, alice_actor, adam_actor, pat, client_for
):
    rabago = protocol_copy(actor=adam_actor, key="knee-oa-rabago-2013")
    session = make_course(alice_actor, pat, protocol=rabago).sessions.get(number=1)
    url = reverse("staff:session-detail", args=[session.code])
    html = client_for(alice).get(url).content.decode()
    assert "Maximum volume per session as the source states it: 22.5 mL" in html
    assert "a line whose note says it is on top of the maximum is not included in it" in html
    assert "Into the joint: on top of the 22.5 mL maximum, which is extra-articular" in html
    assert "extra-articular, up to 22.5 mL in all" in html
    assert "Template maximum per session" not in html
