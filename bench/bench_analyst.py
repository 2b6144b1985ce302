"""The analyst page and chat transcripts on the demo cohort: how long the link chart, a node's
concerns and a transcript upload and view take through the services the pages call.

The demo cohort (`lantern demo`: about 180 young people and 1,000 concerns, adults resolved
by the batch linking job) is built in a temporary folder; nothing here is asserted.
`python bench/run.py analyst`.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

#: Repetitions of each timed call; the median is reported.
REPEATS = 5
#: Messages in the synthetic transcript: a long evening's chat.
TRANSCRIPT_MESSAGES = 400


def _median_ms(times: list[float]) -> float:
    return round(statistics.median(times) * 1000, 1)


#: The grooming turn the synthetic chat takes half way (fictional, non-graphic).
_TURN = (
    "Zayn: ur honestly so mature for ur age, not like the others",
    "Lily: lol thanks",
    "Zayn: dont tell ur mum we talk ok, she wouldnt get it",
    "Zayn: are u home alone rn?",
    "Lily: ye till 8",
    "Zayn: ill put £20 on ur phone",
)


def _transcript() -> bytes:
    lines = []
    for i in range(TRANSCRIPT_MESSAGES):
        when = f"[03/10/2026, {19 + i // 60 % 5}:{i % 60:02d}]"
        middle = i - TRANSCRIPT_MESSAGES // 2
        if 0 <= middle < len(_TURN):
            lines.append(f"{when} {_TURN[middle]}")
        elif i % 2:
            lines.append(f"{when} Lily: ok lol")
        else:
            lines.append(f"{when} Zayn: did u see the match today")
    return ("\n".join(lines) + "\n").encode()


def run() -> dict[str, Any]:
    from sqlalchemy import func, select

    from lantern.services import link_chart, network, transcripts
    from lantern.services.access import scope_condition
    from lantern.services.auth import actor_for
    from lantern.services.context import Actor
    from lantern.services.database import Database
    from lantern.services.demo import load_demo
    from lantern.store.models import Concern, Role, User, YoungPerson

    folder = Path(tempfile.mkdtemp(prefix="lantern-bench-analyst-"))
    database = Database.open(f"sqlite:///{folder / 'lantern.db'}", create=True, migrate=True)
    started = time.perf_counter()
    with database.transaction(Actor.system("bench")) as session:
        load_demo(session=session)
    network.link_people_in_database(database=database, actor=Actor.system("bench"))
    out: dict[str, Any] = {"cohort_build_seconds": round(time.perf_counter() - started, 1)}
    with database.transaction(Actor.system("bench")) as session:
        actors = {
            role: actor_for(user)
            for role in (Role.ANALYST, Role.MASH, Role.PRACTITIONER)
            if (user := session.scalars(select(User).where(User.role == role)).first())
        }
        out["concerns"] = session.scalar(select(func.count()).select_from(Concern))
        out["young_people"] = session.scalar(select(func.count()).select_from(YoungPerson))
    for role in (Role.ANALYST, Role.MASH):
        actor = actors[role]
        times = []
        for _ in range(REPEATS):
            t = time.perf_counter()
            with database.transaction(actor) as session:
                chart = link_chart.link_chart(session=session, actor=actor)
            times.append(time.perf_counter() - t)
        figures: dict[str, Any] = {
            "chart_ms": _median_ms(times),
            "shared_entities": len(chart.entities),
            "young_people_drawn": len(chart.young_people),
            "young_people_named": sum(1 for p in chart.young_people if p.visible),
            "edges": len(chart.edges),
        }
        if chart.entities:
            times = []
            for _ in range(REPEATS):
                t = time.perf_counter()
                with database.transaction(actor) as session:
                    link_chart.node_detail(
                        session=session, actor=actor, node_id=chart.entities[0].id
                    )
                times.append(time.perf_counter() - t)
            figures["node_detail_ms"] = _median_ms(times)
        out[role.value] = figures
    practitioner = actors[Role.PRACTITIONER]
    with database.transaction(practitioner) as session:
        person = session.scalar(select(YoungPerson.id).where(scope_condition(practitioner)))
    content = _transcript()
    uploads = []
    for _ in range(REPEATS):  # the first also loads the chat patterns, once per process
        t = time.perf_counter()
        with database.transaction(practitioner) as session:
            transcript_id = transcripts.upload_transcript(
                session=session,
                actor=practitioner,
                young_person_id=int(person or 0),
                filename="bench.txt",
                content=content,
                child="Lily",
            )
        uploads.append(time.perf_counter() - t)
    t = time.perf_counter()
    with database.transaction(practitioner) as session:
        view = transcripts.get_transcript(
            session=session, actor=practitioner, transcript_id=transcript_id
        )
    out["transcript"] = {
        "messages": TRANSCRIPT_MESSAGES,
        "bytes": len(content),
        "first_upload_ms": round(uploads[0] * 1000, 1),
        "upload_ms": _median_ms(uploads[1:]),
        "view_ms": round((time.perf_counter() - t) * 1000, 1),
        "flagged": view.summary.flagged,
    }
    database.dispose()
    return out
