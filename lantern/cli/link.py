"""`lantern link FILE [--backend duckdb|spark]`: resolve people records (see interfaces.md)."""

from __future__ import annotations

import csv
import io
import sys
from enum import StrEnum
from typing import Annotated

import typer

from lantern.cli.jsonl import InputError, decode_lines, fail, read_bytes

#: A field longer than this is not a name, phone or postcode: it is the wrong file.
MAX_FIELD_CHARS = 1000
#: Above this many records, show progress on stderr (a run takes more than a moment).
PROGRESS_FROM_RECORDS = 2000


class BackendChoice(StrEnum):
    """The engines `lantern link` can run on."""

    duckdb = "duckdb"
    spark = "spark"


def read_people_csv(path: str) -> list[dict[str, str]]:
    """Read and check the input CSV; raises InputError naming the bad line."""
    from lantern.linking import INPUT_COLUMNS

    text = "\n".join(decode_lines(read_bytes(path)))
    csv.field_size_limit(MAX_FIELD_CHARS * 10)
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader, None)
    except csv.Error as e:
        raise InputError(f"not valid CSV ({e})", 1) from None
    if not header or not any(h.strip() for h in header):
        raise InputError("empty file: expected a header row starting record_id", 1)
    names = [h.strip().lower() for h in header]
    if "record_id" not in names:
        raise InputError("header has no record_id column", 1)
    wanted = {name: i for i, name in enumerate(names) if name in INPUT_COLUMNS}
    records: list[dict[str, str]] = []
    seen: dict[str, int] = {}
    try:
        for row in reader:
            line = reader.line_num
            if not row or not any(cell.strip() for cell in row):
                continue
            if len(row) > len(names):
                raise InputError(f"{len(row)} fields but the header has {len(names)}", line)
            record = {name: (row[i].strip() if i < len(row) else "") for name, i in wanted.items()}
            if any(len(value) > MAX_FIELD_CHARS for value in record.values()):
                raise InputError(f"a field is longer than {MAX_FIELD_CHARS} characters", line)
            rid = record["record_id"]
            if not rid:
                raise InputError("record_id is empty", line)
            if rid in seen:
                raise InputError(f"record_id {rid!r:.40} already used on line {seen[rid]}", line)
            seen[rid] = line
            records.append(record)
    except csv.Error as e:
        raise InputError(f"not valid CSV ({e})", reader.line_num) from None
    return records


def link(
    file: Annotated[str, typer.Argument(help="CSV of people records, or - for standard input.")],
    backend: Annotated[
        BackendChoice, typer.Option(help="Engine: duckdb (embedded) or spark.")
    ] = BackendChoice.duckdb,
) -> None:
    """Resolve records of people that may be the same person across reports."""
    from lantern.linking import BackendUnavailable, link_people
    from lantern.linking.parameters import ParameterError

    try:
        records = read_people_csv(file)
    except InputError as e:
        fail("link", e)
    try:
        if len(records) >= PROGRESS_FROM_RECORDS:
            from rich.console import Console

            with Console(stderr=True).status("linking") as status:
                result = link_people(
                    records,
                    backend=backend.value,
                    progress=lambda step: status.update(f"linking: {step}"),
                    explain=False,  # the output is clusters only
                )
        else:
            result = link_people(records, backend=backend.value, explain=False)
    except (BackendUnavailable, ParameterError) as e:
        fail("link", str(e))
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["record_id", "cluster_id"])
    for record in records:
        rid = record["record_id"]
        out.writerow([rid, result.clusters[rid]])
    sys.stdout.flush()
