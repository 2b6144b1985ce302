"""Reading command input and reporting bad input the way every `lantern` command must.

The contracts in `interfaces.md` say: exit 1 on bad input with a one-line message
naming the line, never a traceback. Input is read and validated in full before
any output is written, so a bad line 900 does not leave 899 results behind that
a caller might mistake for a complete answer.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn

#: Largest input file a command accepts. Case notes and transcripts are small;
#: a file beyond this is almost certainly the wrong file, and reading it whole
#: would risk the machine's memory.
MAX_INPUT_BYTES = 256 * 1024 * 1024


class InputError(Exception):
    """Bad input, with the 1-based line it was found on (0 when it is the whole file)."""

    def __init__(self, message: str, line: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.line = line

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message


def read_bytes(path: str) -> bytes:
    """Read a whole input file, or standard input for '-'."""
    try:
        if path == "-":
            data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
        else:
            p = Path(path)
            if p.is_dir():
                raise InputError(f"{path} is a folder, not a file")
            with p.open("rb") as f:
                data = f.read(MAX_INPUT_BYTES + 1)
    except FileNotFoundError:
        raise InputError(f"no such file: {path}") from None
    except PermissionError:
        raise InputError(f"cannot read {path}: permission denied") from None
    except OSError as e:
        raise InputError(f"cannot read {path}: {e.strerror or e}") from None
    if len(data) > MAX_INPUT_BYTES:
        raise InputError(f"input is larger than {MAX_INPUT_BYTES // (1024 * 1024)} MiB")
    return data


def decode_lines(data: bytes) -> list[str]:
    """Split into lines, decoding each as strict UTF-8 so the error names its line."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    lines = []
    for number, raw in enumerate(data.split(b"\n"), start=1):
        try:
            lines.append(raw.decode("utf-8").rstrip("\r"))
        except UnicodeDecodeError as e:
            raise InputError(f"not valid UTF-8 (byte {e.start + 1} of the line)", number) from None
    return lines


def read_jsonl(path: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield (line number, object) for each non-blank line of a JSONL file.

    Raises InputError for unreadable files, broken encodings, lines that are not
    JSON, and JSON values that are not objects.
    """
    for number, line in enumerate(decode_lines(read_bytes(path)), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as e:
            raise InputError(f"not valid JSON ({e.msg} at column {e.colno})", number) from None
        except RecursionError:
            raise InputError("JSON nested too deeply", number) from None
        if not isinstance(value, dict):
            raise InputError(f"expected a JSON object, got {type(value).__name__}", number)
        yield number, value


def require_id(obj: dict[str, Any], line: int) -> str:
    """The `id` every input object carries: a non-empty string (or a number, kept as text)."""
    value = obj.get("id")
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise InputError("missing 'id' (a string)", line)
    text = str(value)
    if not text:
        raise InputError("'id' is empty", line)
    return text


def write_jsonl(objects: list[dict[str, Any]]) -> None:
    """Write results, one compact JSON object per line, to standard output."""
    out = sys.stdout
    for obj in objects:
        out.write(json.dumps(obj, ensure_ascii=False, separators=(", ", ": ")))
        out.write("\n")
    out.flush()


def fail(command: str, error: InputError | str) -> NoReturn:
    """Print a one-line error for bad input and exit 1."""
    message = " ".join(str(error).split())
    print(f"lantern {command}: {message}", file=sys.stderr)
    raise SystemExit(1)
