"""The in-process writer turn: first come, first served, re-entrant, and it times out."""

from __future__ import annotations

import threading
import time

from lantern.services.database import FairLock


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
