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


def test_the_groups_of_figures_read_for_conflicts_are_frozen_too_once_large(
    seed_articles, monkeypatch, unfrozen
):
    """They are built after the index (on the first page that shows conflicts) and live as
    long: left unfrozen, a full collection walked them in one queue request in six."""
    from claims.assistant.conflicts import mentions_of

    mentions = mentions_of(assistant_index.current())
    assert len(mentions.row) > 0 and mentions.settled_size == 0  # far below the size

    monkeypatch.setattr(assistant_index, "SETTLE_FROM", len(mentions.row))
    assistant_index.reset()
    mentions = mentions_of(assistant_index.current())
    assert mentions.settled_size == len(mentions.row)
    walked = {id(o) for o in gc.get_objects()}  # every object a collection walks
    assert id(mentions.row) not in walked and id(mentions.postings) not in walked
