"""A large assistant index is kept out of the garbage collector's walks: frozen once built,
and again only when it has doubled (each full collection would otherwise walk all of it,
about 200 ms at 100,000 claims, in whichever request it falls)."""

import gc

import pytest

from claims.assistant import index as assistant_index


@pytest.fixture
def unfrozen():
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_a_large_index_is_frozen_once_built_and_again_when_it_has_doubled(
    seed_articles, monkeypatch, unfrozen
):
    rows = assistant_index.current().n_sentences
    assert rows > 0
    assert gc.get_freeze_count() == 0  # the seeds are far below the size it freezes from

    monkeypatch.setattr(assistant_index, "SETTLE_FROM", rows)
    assistant_index.reset()
    index = assistant_index.current()
    frozen = gc.get_freeze_count()
    assert frozen > 0 and index.settled_size == rows

    assistant_index.current()  # caught up, no bigger: not frozen again (frozen objects may
    assert gc.get_freeze_count() <= frozen  # still be freed when nothing refers to them)
    assert index.settled_size == rows

    index.settled_size = rows // 2  # as if it had been frozen at half its size
    assistant_index.current()
    assert index.settled_size == rows
