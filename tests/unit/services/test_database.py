"""The writers' turn: first come, first served, re-entrant, it times out, and processes
sharing a database take turns through its lock file."""

from __future__ import annotations

import multiprocessing
import threading
import time
from pathlib import Path

from lantern.services.database import FairLock, ProcessLock


def test_waiters_are_served_in_order_of_arrival() -> None:
    lock = FairLock()
    assert lock.acquire(timeout=1)
    order: list[int] = []
    threads = []
    for i in range(6):

        def work(i: int = i) -> None:
            assert lock.acquire(timeout=5)
            order.append(i)
            lock.release()

        thread = threading.Thread(target=work)
        thread.start()
        threads.append(thread)
        time.sleep(0.02)  # each arrives after the one before
    lock.release()
    for thread in threads:
        thread.join(5)
    assert order == list(range(6))


def test_reentrant_for_the_same_thread() -> None:
    lock = FairLock()
    assert lock.acquire(timeout=1) and lock.acquire(timeout=1)
    lock.release()
    got: list[bool] = []
    other = threading.Thread(target=lambda: got.append(lock.acquire(timeout=0.05)))
    other.start()
    other.join(5)
    assert got == [False]  # still held once
    lock.release()
    assert lock.acquire(timeout=0.05)


def test_a_waiter_that_gives_up_does_not_block_the_next() -> None:
    lock = FairLock()
    assert lock.acquire(timeout=1)
    results: dict[str, bool] = {}
    quick = threading.Thread(target=lambda: results.setdefault("quick", lock.acquire(timeout=0.05)))
    quick.start()
    time.sleep(0.01)

    def patient() -> None:
        results["patient"] = lock.acquire(timeout=5)
        lock.release()

    slow = threading.Thread(target=patient)
    slow.start()
    quick.join(5)
    lock.release()
    slow.join(5)
    assert results == {"quick": False, "patient": True}


def _hold_in_another_process(path: str, held: str, release: str) -> None:
    from pathlib import Path as P

    from lantern.services.database import ProcessLock

    lock = ProcessLock(P(path))
    assert lock.acquire(timeout=5)
    P(held).touch()
    deadline = time.monotonic() + 10
    while not P(release).exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    lock.release()


def test_processes_take_turns_through_the_lock_file(tmp_path: Path) -> None:
    path, held, release = tmp_path / "db.writer-lock", tmp_path / "held", tmp_path / "release"
    other = multiprocessing.get_context("spawn").Process(
        target=_hold_in_another_process, args=(str(path), str(held), str(release))
    )
    other.start()
    try:
        deadline = time.monotonic() + 30
        while not held.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        assert held.exists()
        mine = FairLock(ProcessLock(path))
        assert not mine.acquire(timeout=0.05)  # the other process holds it
        # ...and giving up left this process's turn free for its next writer.
        assert mine._owner is None
        release.touch()
        assert mine.acquire(timeout=5)
        assert mine.acquire(timeout=0.01)  # re-entrant: the file lock is not taken twice
        mine.release()
        mine.release()
        assert ProcessLock(path).acquire(timeout=0.5)  # released to others
    finally:
        release.touch()
        other.join(10)
    assert other.exitcode == 0
