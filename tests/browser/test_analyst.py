"""The analyst page in Chromium: the link chart drawn by Cytoscape.js under the CSP, a node
clicked to see the concerns behind it, the filters used by keyboard alone, and axe-core on
the page, the node page and a young person's "linked to" block."""

from __future__ import annotations

import secrets
import subprocess
from datetime import date, timedelta
from typing import Any

import pytest

from lantern.services import concerns, young_people
from lantern.services.concerns import ConcernDraft, EntityChoice
from lantern.services.context import Actor
from lantern.services.young_people import YoungPersonDraft
from lantern.store.models import EntityKind, Role
from lantern.web.app import STATIC_DIR
from tests.browser.conftest import ROOT, Site, check_accessibility, sign_in_as, tab_to

#: Values only this module uses, so other journeys on the shared site do not disturb it.
PHONE = "07700 900457"
PHONE_NODE = "phone:+447700900457"
PLATE = "CD34 EFG"


@pytest.fixture(scope="module", autouse=True)
def _chart_module_built(site: Site) -> None:
    if not (STATIC_DIR / "linkchart.mjs").exists():
        subprocess.run([str(ROOT / "scripts" / "build-assets.sh")], check=True, cwd=ROOT)


def _seed(site: Site, phone: str = PHONE, plate: str = PLATE) -> dict[str, int]:
    """Three young people: two share a phone, two share a car (one of them both)."""
    user_id, email, _ = site.world.users[Role.PRACTITIONER]
    actor = Actor(
        user_id=user_id,
        email=email,
        role=Role.PRACTITIONER,
        organisation_id=site.world.organisations["school"],
    )
    people: dict[str, int] = {}
    links = {
        "Tia": [(EntityKind.PHONE, phone)],
        "Noor": [(EntityKind.PHONE, phone), (EntityKind.VEHICLE, plate)],
        "Esme": [(EntityKind.VEHICLE, plate)],
    }
    with site.world.db.transaction(actor) as session:
        for days, (first, entities) in enumerate(links.items(), start=2):
            person = young_people.create_young_person(
                session=session,
                actor=actor,
                draft=YoungPersonDraft(
                    first_name=first, last_name="Lowry", school="Riverside Academy"
                ),
                checked_duplicates=True,
            )
            people[first] = person.id
            concerns.record_concern(
                session=session,
                actor=actor,
                draft=ConcernDraft(
                    young_person_id=person.id,
                    observed_on=date.today() - timedelta(days=days),
                    text=f"{first} was collected from the school gate by an adult not known "
                    "to staff.",
                    entities=[EntityChoice(kind=k, value=v) for k, v in entities],
                    idempotency_key=secrets.token_urlsafe(16),
                ),
            )
    return people


def _where(page: Any, node_id: str) -> tuple[float, float]:
    box = page.locator("#link-chart").bounding_box()
    at = page.evaluate(
        "(id) => document.getElementById('link-chart').linkChart.getElementById(id)"
        ".renderedPosition()",
        node_id,
    )
    return box["x"] + at["x"], box["y"] + at["y"]


def _click_node(page: Any, node_id: str) -> None:
    """Click the node where Cytoscape drew it, as a person with a mouse would: once the
    page has stopped scrolling and the node has stopped moving (a click at a moving
    point could miss it on a busy machine)."""
    page.evaluate("() => document.getElementById('link-chart').scrollIntoView({block: 'start'})")
    where = _where(page, node_id)
    for _ in range(40):
        page.wait_for_timeout(50)
        now = _where(page, node_id)
        if now == where:
            break
        where = now
    page.mouse.click(*where)


def test_an_analyst_reads_the_chart_clicks_a_node_and_filters_by_keyboard(
    page: Any, site: Site
) -> None:
    _seed(site)
    sign_in_as(page, site, Role.ANALYST)
    page.get_by_role("link", name="Network").first.click()
    page.wait_for_url("**/analyst")
    page.wait_for_selector("#link-chart[data-ready='true']")
    check_accessibility(page)
    drawn = page.evaluate(
        "() => document.getElementById('link-chart').linkChart.nodes().map(n => n.id())"
    )
    assert PHONE_NODE in drawn and "vehicle:CD34EFG" in drawn
    assert not [n for n in drawn if n.startswith("yp:")]  # an analyst sees no one by number
    table = page.locator("#shared-entities")
    assert table.get_by_text("Phone: +447700900457").is_visible()
    assert "Lowry" not in page.content()

    _click_node(page, PHONE_NODE)
    detail = page.locator("#node-detail table")
    detail.wait_for()
    assert detail.locator("tr").count() == 3  # header and two concerns
    assert "Riverside Academy" in detail.inner_text()
    assert "Outside your scope" in detail.inner_text()
    check_accessibility(page)

    # The filters by keyboard alone: tick "Vehicle", then apply.
    tab_to(page, "#kind-vehicle")
    page.keyboard.press("Space")
    assert page.locator("#kind-vehicle").is_checked()
    tab_to(page, "#apply-filters")
    page.keyboard.press("Enter")
    page.wait_for_url("**/analyst?kind=vehicle*")
    page.wait_for_selector("#link-chart[data-ready='true']")
    rows = page.locator("#shared-entities tbody tr")
    texts = [rows.nth(i).inner_text() for i in range(rows.count())]
    assert texts and all(t.startswith("Vehicle:") for t in texts)
    check_accessibility(page)

    # The table's own link to the same detail, for those who cannot use the chart.
    page.get_by_role("link", name="Vehicle: CD34EFG").click()
    page.wait_for_url("**/analyst/node?*")
    assert page.locator("#node-concerns tbody tr").count() == 2
    check_accessibility(page)
    assert page.problems == [], page.problems


def test_a_lead_sees_who_a_young_person_is_linked_to(page: Any, site: Site) -> None:
    people = _seed(site, "07700 900458", "CD34 EFH")
    sign_in_as(page, site, Role.DSL)
    page.goto(f"/young-people/{people['Noor']}")
    block = page.locator("#linked-young-people")
    page.wait_for_function(  # HTMX swaps the fragment in after the page loads
        "() => document.querySelector('#linked-young-people').textContent.includes('Linked to ')"
    )
    assert "Tia Lowry" in block.inner_text() and "Esme Lowry" in block.inner_text()
    check_accessibility(page)
    assert page.problems == [], page.problems
