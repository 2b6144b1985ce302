"""Chat transcripts through the pages: upload in each shape, the view with flagged messages and
the risk chart, hostile content escaped, bad files refused with nothing saved, CSRF, scope,
and raising a concern from a transcript."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from lantern.services.context import Actor
from lantern.services.transcripts import MAX_TRANSCRIPT_BYTES
from lantern.store.models import Concern, ConcernFactor, Role, Transcript
from tests.unit.web.conftest import World, csrf_of
from tests.unit.web.test_concern_routes import _add_young_person

# --- a small HTML tree from the standard library's parser, to select elements in tests ---

_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = field(default_factory=list)

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def all(self, tag: str | None = None, **attrs: str | None) -> list[Node]:
        """Descendants with this tag (any when None) and attributes (None: present at all)."""
        found = []
        for child in self.children:
            if isinstance(child, str):
                continue
            if (tag is None or child.tag == tag) and all(
                name in child.attrs and (value is None or child.attrs[name] == value)
                for name, value in attrs.items()
            ):
                found.append(child)
            found.extend(child.all(tag, **attrs))
        return found

    def one(self, tag: str | None = None, **attrs: str | None) -> Node | None:
        found = self.all(tag, **attrs)
        return found[0] if found else None

    def has_class(self, name: str) -> bool:
        return name in self.attrs.get("class", "").split()


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k.replace("-", "_"): v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in _VOID:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(html: str) -> Node:
    builder = _Builder()
    builder.feed(html)
    return builder.root


#: A fictional chat in a messaging app's export shape: an adult grooming pattern,
#: non-graphic (flattery, secrecy, probing, an offer, a move to a private app).
GROOMING_EXPORT = """\
[03/10/2026, 19:02] Zayn: hey saw ur post from the match, u play for the under 14s?
[03/10/2026, 19:03] Lily: ye
[03/10/2026, 19:05] Zayn: ur honestly so mature for ur age, not like the others
[03/10/2026, 19:07] Lily: lol thanks
[03/10/2026, 19:10] Zayn: dont tell ur mum we talk ok, she wouldnt get it
[03/10/2026, 19:11] Zayn: are u home alone rn?
[03/10/2026, 19:12] Lily: ye till 8
[03/10/2026, 19:14] Zayn: add me on the other app, its more private. ill put £20 on ur phone
"""

#: A parent and child arranging tea: the same kind of words, no tactics.
BENIGN_CSV = """speaker,text
Mum,where are you? tea's ready
Lily,at Chloe's be back in 10
Mum,ok love don't be late
Lily,coming now
"""


def _person(client: TestClient) -> int:
    return _add_young_person(client, "Lily", "Hart")


def _upload(
    client: TestClient,
    person: int,
    content: bytes,
    *,
    filename: str = "chat.txt",
    child: str = "Lily",
    fmt: str = "auto",
    csrf: str | None = None,
) -> object:
    page = client.get(f"/young-people/{person}/transcripts")
    assert page.status_code == 200, page.text
    token = csrf if csrf is not None else csrf_of(page.text)
    return client.post(
        f"/young-people/{person}/transcripts",
        data={"csrf_token": token, "child": child, "format": fmt},
        files={"file": (filename, content, "text/plain")},
        follow_redirects=False,
    )


def _count(world: World) -> int:
    with world.db.transaction(Actor.system("test")) as session:
        return int(session.scalar(select(func.count()).select_from(Transcript)) or 0)


def _uploaded(response: object) -> int:
    assert getattr(response, "status_code", None) == 303, getattr(response, "text", "")
    found = re.search(r"/transcripts/(\d+)$", response.headers["location"])  # type: ignore[attr-defined]
    assert found
    return int(found.group(1))


def test_an_export_is_stored_with_its_hash_and_shown_with_tactics_and_risk(
    world: World, signed_in: Callable[[Role], TestClient]
) -> None:
    client = signed_in(Role.PRACTITIONER)
    person = _person(client)
    content = GROOMING_EXPORT.encode()
    transcript = _uploaded(_upload(client, person, content))

    page = client.get(f"/transcripts/{transcript}")
    assert page.status_code == 200
    doc = parse(page.text)
    assert hashlib.sha256(content).hexdigest() in doc.text()
    flagged = doc.all("tr", data_flagged="true")
    assert {row.attrs["id"] for row in flagged} >= {"message-3", "message-5", "message-6"}
    secrecy = doc.one(id="message-5")
    assert secrecy is not None
    marks = secrecy.all("mark")
    assert marks and marks[0].has_class("lantern-evidence")
    assert marks[0].text() == "dont tell ur mum"
    assert "Asking for secrecy" in secrecy.text()
    own = doc.one(id="message-2")
    assert own is not None and not own.all("mark")  # the young person's own words
    assert doc.one("svg", role="img") is not None
    table = doc.one("table", id="messages")
    assert table is not None and len(table.all("tr")) == 9  # header and 8 messages
    assert doc.one(id="raise-concern") is not None

    listing = client.get(f"/young-people/{person}/transcripts")
    assert "chat.txt" in listing.text
    with world.db.transaction(Actor.system("test")) as session:
        stored = session.get(Transcript, transcript)
        assert stored is not None
        assert stored.sha256 == hashlib.sha256(content).hexdigest()
        assert stored.content == GROOMING_EXPORT


def test_csv_and_jsonl_transcripts_are_read(
    world: World, signed_in: Callable[[Role], TestClient]
) -> None:
    client = signed_in(Role.PRACTITIONER)
    person = _person(client)
    benign = _uploaded(_upload(client, person, BENIGN_CSV.encode(), filename="tea.csv"))
    page = client.get(f"/transcripts/{benign}")
    assert "No grooming concern found" in page.text
    assert 'data-flagged="true"' not in page.text

    line = {
        "id": "maya-1",
        "child": "maya",
        "messages": [
            {"speaker": "dee", "text": "ur so mature for ur age honestly"},
            {"speaker": "maya", "text": "thanks"},
            {"speaker": "dee", "text": "delete this chat after ok, our secret"},
        ],
    }
    upload = _upload(
        client, person, json.dumps(line).encode(), filename="line.jsonl", child="", fmt="jsonl"
    )
    shown = client.get(f"/transcripts/{_uploaded(upload)}")
    assert 'id="message-3"' in shown.text and "secrecy" in shown.text.lower()


def test_hostile_content_is_shown_as_text(signed_in: Callable[[Role], TestClient]) -> None:
    client = signed_in(Role.PRACTITIONER)
    person = _person(client)
    hostile = (
        "[03/10/2026, 19:02] <img src=x onerror=alert(1)>: hi\n"
        "[03/10/2026, 19:03] Lily: hello\n"
        '[03/10/2026, 19:04] <img src=x onerror=alert(1)>: <script>alert("x")</script> '
        "dont tell ur mum\n"
    )
    transcript = _uploaded(_upload(client, person, hostile.encode(), filename="<b>x</b>.txt"))
    page = client.get(f"/transcripts/{transcript}")
    assert page.status_code == 200
    assert "<script>alert" not in page.text
    assert "<img src=x" not in page.text
    assert "&lt;script&gt;" in page.text
    assert "<b>x</b>" not in page.text
    main = parse(page.text).one("main")
    assert main is not None and not main.all("script") and not main.all("img")


#: Bad files: (name, content, the field the error names, words the message must hold).
BAD_FILES: list[tuple[str, bytes, str, str]] = [
    ("chat.txt", b"", "file", "empty"),
    ("chat.txt", b"[03/10/2026, 19:02] Zayn: hi\n\xff\xfe broken", "file", "line 2"),
    ("chat.txt", b"hello there\n[03/10/2026, 19:02] Zayn: hi", "file", "line 1"),
    ("chat.txt", b"[03/10/2026, 19:02] Zayn: hi\x07 there\n", "file", "line 1"),
    ("chat.csv", b"who,words\nZayn,hi\n", "file", "speaker"),
    ("chat.csv", b"speaker,text\nZayn,hi,extra\n", "file", "line 2"),
    (
        "chat.jsonl",
        b'{"id": "a", "child": "Lily", "messages": []}\n{"id": "b"}\n',
        "file",
        "one",
    ),
    ("chat.jsonl", b'{"id": "a", "child": "Lily", "messages": [}', "file", "JSON"),
    ("chat.txt", b"[03/10/2026, 19:02] Zayn: hi\n", "child", "never writes"),
    ("chat.bin", b"\x00\x01\x02", "file", "control"),
]


def test_bad_files_get_a_clear_error_and_nothing_is_saved(
    world: World, signed_in: Callable[[Role], TestClient]
) -> None:
    client = signed_in(Role.PRACTITIONER)
    person = _person(client)
    for filename, content, named, message in BAD_FILES:
        response = _upload(client, person, content, filename=filename)
        assert getattr(response, "status_code", None) == 400, filename
        doc = parse(response.text)  # type: ignore[attr-defined]
        summary = next((d for d in doc.all("div") if d.has_class("govuk-error-summary")), None)
        assert summary is not None, (filename, content)
        link = summary.one("a", href=f"#{named}")
        assert link is not None, summary.text()
        assert message.lower() in link.text().lower(), (content, link.text())
    assert _count(world) == 0


def test_a_missing_file_and_the_young_persons_name_are_asked_for(
    world: World, signed_in: Callable[[Role], TestClient]
) -> None:
    client = signed_in(Role.PRACTITIONER)
    person = _person(client)
    page = client.get(f"/young-people/{person}/transcripts")
    response = client.post(
        f"/young-people/{person}/transcripts",
        data={"csrf_token": csrf_of(page.text), "child": "", "format": "auto"},
    )
    assert response.status_code == 400
    assert "Choose a transcript file" in response.text
    no_child = _upload(client, person, GROOMING_EXPORT.encode(), child="")
    assert getattr(no_child, "status_code", None) == 400
    assert "name as it appears" in no_child.text  # type: ignore[attr-defined]
    assert _count(world) == 0


def test_size_limits(world: World, signed_in: Callable[[Role], TestClient]) -> None:
    client = signed_in(Role.PRACTITIONER)
    person = _person(client)
    line = b"[03/10/2026, 19:02] Lily: hello there, this is a long chat\n"
    over_service_limit = line * (MAX_TRANSCRIPT_BYTES // len(line) + 2)
    response = _upload(client, person, over_service_limit)
    assert getattr(response, "status_code", None) == 400
    assert "larger than" in response.text  # type: ignore[attr-defined]
    over_request_limit = line * (2_000_000 // len(line))
    assert getattr(_upload(client, person, over_request_limit), "status_code", None) == 413
    assert _count(world) == 0


def test_an_upload_without_the_form_token_is_refused(
    world: World, signed_in: Callable[[Role], TestClient]
) -> None:
    client = signed_in(Role.PRACTITIONER)
    person = _person(client)
    response = _upload(client, person, GROOMING_EXPORT.encode(), csrf="forged")
    assert getattr(response, "status_code", None) in (400, 403)
    assert _count(world) == 0


def test_only_those_who_may_see_the_record_see_its_transcripts(
    world: World, signed_in: Callable[[Role], TestClient]
) -> None:
    practitioner = signed_in(Role.PRACTITIONER)
    person = _person(practitioner)
    transcript = _uploaded(_upload(practitioner, person, GROOMING_EXPORT.encode()))
    expected = {
        Role.PRACTITIONER: 200,
        Role.DSL: 200,  # same school
        Role.MASH: 403,  # not referred: outside scope (break-glass is offered elsewhere)
        Role.ANALYST: 403,
        Role.ADMIN: 403,
        Role.AUDITOR: 403,
    }
    for role, status in expected.items():
        client = signed_in(role)
        for path in (
            f"/transcripts/{transcript}",
            f"/young-people/{person}/transcripts",
            f"/transcripts/{transcript}/concern",
        ):
            got = client.get(path, follow_redirects=False).status_code
            assert got == status, (role, path, got)
    assert signed_in(Role.PRACTITIONER).get("/transcripts/999999").status_code == 404


def test_a_concern_raised_from_a_transcript_starts_with_its_factors(
    world: World, signed_in: Callable[[Role], TestClient]
) -> None:
    client = signed_in(Role.PRACTITIONER)
    person = _person(client)
    transcript = _uploaded(_upload(client, person, GROOMING_EXPORT.encode()))
    form = client.get(f"/transcripts/{transcript}/concern")
    assert form.status_code == 200
    doc = parse(form.text)
    note = doc.one("textarea", id="text")
    assert note is not None and "chat.txt" in note.text()
    offered = [i.attrs["value"] for i in doc.all("input", name="offered")]
    codes = {v.split("|")[0] for v in offered}
    assert {"online_contact", "secretive_behaviour", "unexplained_gifts"} <= codes
    ticked = [i.attrs["value"] for i in doc.all("input", name="suggested", checked=None)]
    assert sorted(ticked) == sorted(offered)
    key = doc.one("input", name="key")
    assert key is not None

    data: dict[str, object] = {
        "csrf_token": csrf_of(form.text),
        "key": key.attrs["value"],
        "young_person_id": str(person),
        "danger": "0",
        "text": note.text(),
        "offered": offered,
        "suggested": ticked,
        **{f"observed-{p}": _value(doc, f"observed-{p}") for p in ("day", "month", "year")},
    }
    saved = client.post("/concerns", data=data, follow_redirects=False)
    assert saved.status_code == 303, saved.text
    with world.db.transaction(Actor.system("test")) as session:
        concern = session.scalars(select(Concern).where(Concern.young_person_id == person)).one()
        factors = {
            f.code: f
            for f in session.scalars(
                select(ConcernFactor).where(ConcernFactor.concern_id == concern.id)
            )
        }
        assert {"online_contact", "secretive_behaviour"} <= set(factors)
        assert factors["online_contact"].suggested and factors["online_contact"].confirmed
        assert factors["online_contact"].evidence == "Zayn"


def _value(doc: Node, element_id: str) -> str:
    found = doc.one(id=element_id)
    assert found is not None, element_id
    return found.attrs.get("value", "")


def test_the_risk_chart_geometry() -> None:
    from lantern.web.routes.transcripts import HEIGHT, WIDTH, risk_over_messages

    assert risk_over_messages([], None) is None
    chart = risk_over_messages([0.0, 0.2, 0.2, 0.9, 1.0], 3)
    assert chart is not None
    xs = [x for x, _, _ in chart.points]
    ys = [y for _, y, _ in chart.points]
    assert xs == sorted(xs) and xs[0] == chart.axis_left and xs[-1] < WIDTH
    assert all(0 < y <= chart.axis_bottom < HEIGHT for y in ys)
    assert ys[0] == chart.axis_bottom and ys[4] < ys[3] < ys[1]  # higher risk drawn higher
    assert chart.alert_x == xs[3]
    assert chart.points[3][2] == "Message 4: risk 0.90"
    single = risk_over_messages([0.5], None)
    assert single is not None and single.alert_x is None and len(single.points) == 1
