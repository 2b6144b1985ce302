"""The analyst page: shared-entity alerts, the interactive link chart and its table, and the
concerns behind any one node.

The chart is drawn in the browser by `linkchart.mjs` (Cytoscape.js) from the JSON
this module serves; the tables on the page hold the same links for keyboard and
screen-reader users and for browsers without JavaScript. Filters are a plain GET
form. Analysts and MASH open it (the `view_network` permission); leads do not:
their need to know is their organisation's young people, which the young person
page's "linked to" block already serves.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from lantern.services import access, link_chart, network
from lantern.services.access import Permission
from lantern.services.context import Invalid
from lantern.services.link_chart import ChartFilter, LinkChart, NodeDetail
from lantern.web.deps import allowed, database
from lantern.web.pages import render
from lantern.web.visitor import SignedIn

__all__ = ["router"]

router = APIRouter()

Viewer = Annotated[SignedIn, Depends(allowed(Permission.VIEW_NETWORK))]
Kinds = Annotated[list[str] | None, Query(max_length=40)]

#: Plain-English names for the kinds of entity, for filters, tables and the chart's key.
KIND_TITLES = {
    "person": "Adult",
    "phone": "Phone",
    "vehicle": "Vehicle",
    "postcode": "Postcode",
    "handle": "Online handle",
    "place": "Place",
    "young_person": "Young person",
}


def _date(value: str, field: str) -> dt.date | None:
    if not value.strip():
        return None
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        raise Invalid({field: "Enter a real date, for example 2026-03-27"}) from None


def _filter(kind: list[str] | None, since: str, until: str) -> ChartFilter:
    return ChartFilter(
        kinds=frozenset(k for k in (kind or []) if k),
        since=_date(since, "since"),
        until=_date(until, "until"),
    )


def _query(chart_filter: ChartFilter, **extra: str) -> str:
    pairs: list[tuple[str, str]] = [("kind", k) for k in sorted(chart_filter.kinds)]
    if chart_filter.since:
        pairs.append(("since", chart_filter.since.isoformat()))
    if chart_filter.until:
        pairs.append(("until", chart_filter.until.isoformat()))
    pairs.extend(extra.items())
    return urlencode(pairs)


def _chart(request: Request, staff: SignedIn, chart_filter: ChartFilter) -> LinkChart:
    actor = staff.actor()
    with database(request).reading(actor) as session:
        return link_chart.link_chart(session=session, actor=actor, chart_filter=chart_filter)


def _detail(request: Request, staff: SignedIn, node: str, chart_filter: ChartFilter) -> NodeDetail:
    actor = staff.actor()
    with database(request).reading(actor) as session:
        return link_chart.node_detail(
            session=session, actor=actor, node_id=node[:300], chart_filter=chart_filter
        )


@router.get("/analyst", response_class=HTMLResponse)
def page(
    request: Request, staff: Viewer, kind: Kinds = None, since: str = "", until: str = ""
) -> Response:
    chart_filter = _filter(kind, since, until)
    chart = _chart(request, staff, chart_filter)
    query = _query(chart_filter)
    return render(
        request,
        "analyst/index.html",
        {
            "title": "Network",
            "chart": chart,
            "kind_titles": KIND_TITLES,
            "query": query,
            "since": since[:10],
            "until": until[:10],
            "hidden_people": sum(1 for p in chart.young_people if not p.visible),
            "can_open_records": access.role_allows(staff.actor(), Permission.VIEW_YOUNG_PERSON),
        },
    )


@router.get("/analyst/chart.json")
def chart_data(
    request: Request, staff: Viewer, kind: Kinds = None, since: str = "", until: str = ""
) -> JSONResponse:
    """The chart as Cytoscape.js elements: nodes, then edges."""
    chart_filter = _filter(kind, since, until)
    chart = _chart(request, staff, chart_filter)
    nodes: list[dict[str, Any]] = []
    for node in (*chart.entities, *chart.young_people):
        detail = f"/analyst/node.json?{_query(chart_filter, id=node.id)}" if node.visible else None
        nodes.append(
            {
                "data": {
                    "id": node.id,
                    "label": node.label,
                    "kind": node.kind,
                    "kindTitle": KIND_TITLES.get(node.kind, node.kind),
                    "links": node.young_people,
                    "concerns": node.concerns,
                    "latest": node.latest.isoformat(),
                    "visible": node.visible,
                    "detail": detail,
                }
            }
        )
    edges = [
        {
            "data": {
                "id": f"e{i}",
                "source": e.source,
                "target": e.target,
                "concerns": e.concerns,
            }
        }
        for i, e in enumerate(chart.edges, start=1)
    ]
    return JSONResponse({"elements": {"nodes": nodes, "edges": edges}, "more": chart.more})


@router.get("/analyst/node", response_class=HTMLResponse)
def node_page(
    request: Request,
    staff: Viewer,
    id: Annotated[str, Query(max_length=300)],
    kind: Kinds = None,
    since: str = "",
    until: str = "",
) -> Response:
    chart_filter = _filter(kind, since, until)
    detail = _detail(request, staff, id, chart_filter)
    return render(
        request,
        "analyst/node.html",
        {
            "title": f"Concerns behind {detail.label}",
            "detail": detail,
            "kind_titles": KIND_TITLES,
            "back": f"/analyst?{_query(chart_filter)}",
            "can_open_records": access.role_allows(staff.actor(), Permission.VIEW_YOUNG_PERSON),
        },
    )


@router.get("/analyst/node.json")
def node_data(
    request: Request,
    staff: Viewer,
    id: Annotated[str, Query(max_length=300)],
    kind: Kinds = None,
    since: str = "",
    until: str = "",
) -> JSONResponse:
    """The concerns behind one node, for the chart's panel (dates, organisations, links)."""
    detail = _detail(request, staff, id, _filter(kind, since, until))
    return JSONResponse(
        {
            "id": detail.id,
            "label": detail.label,
            "kindTitle": KIND_TITLES.get(detail.kind, detail.kind),
            "concerns": [
                {
                    "observed": c.observed_on.isoformat(),
                    "organisation": c.organisation,
                    "youngPerson": c.young_person,
                    "via": c.via,
                }
                for c in detail.concerns
            ],
        }
    )


#: The young person page's "linked to" block is for those who may open that page.
CaseViewer = Annotated[SignedIn, Depends(allowed(Permission.VIEW_YOUNG_PERSON))]


@router.get("/young-people/{young_person_id}/linked", response_class=HTMLResponse)
def linked(request: Request, staff: CaseViewer, young_person_id: int) -> Response:
    """ "Linked to N other young people through ...": a fragment for the young person page
    (fetched by HTMX), or a page of its own when asked for without JavaScript."""
    actor = staff.actor()
    with database(request).reading(actor) as session:
        summary = network.linked_young_people(
            session=session, actor=actor, young_person_id=young_person_id
        )
    through = [
        (KIND_TITLES.get(kind, kind).lower(), n) for kind, n in sorted(summary.through.items())
    ]
    visible = [(ref, [_node_label(node) for node in via]) for ref, via in summary.visible]
    fragment = request.headers.get("HX-Request") == "true"
    return render(
        request,
        "analyst/linked_fragment.html" if fragment else "analyst/linked.html",
        {
            "title": "Linked young people",
            "summary": summary,
            "through": through,
            "visible": visible,
            "young_person_id": young_person_id,
        },
    )


def _node_label(node: str) -> str:
    kind, _, value = node.partition(":")
    return f"{KIND_TITLES.get(kind, kind).lower()} {value}"
