"""The deck database's first use, by many workers at once: created and seeded exactly once."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
import time

from sqlalchemy import func, select

from store import deck_database, deck_tables
from store.db import writable_engine
from tests.conftest import ROOT

WORKER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from store import deck_database, decks
    go = Path(sys.argv[2])
    Path(sys.argv[3]).touch()  # imported: ready at the start line
    while not go.exists():
        time.sleep(0.005)
    deck_database.use(sys.argv[1])
    print(sorted(d["slug"] for d in decks.list_decks()))
    """
)


def _counts(url: str) -> tuple[int, int, int]:
    eng = writable_engine(url)
    try:
        with eng.connect() as conn:
            n_decks = conn.execute(select(func.count()).select_from(deck_tables.decks)).scalar()
            seeded = conn.execute(
                select(func.count()).where(deck_tables.deck_meta.c.key == "seeded")
            ).scalar()
            keys = conn.execute(
                select(func.count()).where(deck_tables.deck_meta.c.key == "secret_key")
            ).scalar()
    finally:
        eng.dispose()
    return n_decks, seeded, keys


def test_eight_processes_opening_a_fresh_deck_database_at_once(tmp_path):
    url = f"sqlite:///{tmp_path / 'decks.db'}"
    go = tmp_path / "go"
    ready = [tmp_path / f"ready-{n}" for n in range(8)]
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, url, str(go), str(ready[n])],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(8)
    ]
    for _ in range(6000):  # every process imported and waiting at the start line (<= 10 min)
        if all(r.exists() for r in ready) or any(p.poll() is not None for p in procs):
            break
        time.sleep(0.1)
    go.touch()
    results = [p.communicate(timeout=600) for p in procs]
    for p, (out, err) in zip(procs, results, strict=True):
        assert p.returncode == 0, err[-2000:]
        assert out.strip() == "['aral-default']", (out, err[-2000:])
    assert _counts(url) == (1, 1, 1)


def test_threads_seeding_one_fresh_database_at_once(tmp_path):
    url = f"sqlite:///{tmp_path / 'decks.db'}"
    engines = [writable_engine(url) for _ in range(8)]
    barrier = threading.Barrier(len(engines))
    errors: list[BaseException] = []

    def first_use(eng) -> None:
        barrier.wait()
        try:
            deck_database._create_and_seed(eng)
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=first_use, args=(e,)) for e in engines]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    for eng in engines:
        eng.dispose()
    assert errors == []
    assert _counts(url) == (1, 1, 1)
