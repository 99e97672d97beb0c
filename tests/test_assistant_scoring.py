"""The known-claim check scores every sentence of an arriving article against every claim in
one pass (Index.claim_pairs): it must give each sentence what scoring it alone gives
(Index.claim_scores), whether the pairs are summed in one array or only those its words name."""

import numpy as np
import pytest

from claims.assistant import index as assistant_index
from claims.assistant.index import Index
from claims.assistant.text import words_of

ARTICLE = [
    "网传喝高浓度白酒可以预防新冠肺炎病毒感染",
    "专家表示这种说法没有科学依据",
    "市政府宣布地铁三号线将于明年通车",
    "今天天气晴朗",
]
CLAIMS = [
    "喝高浓度白酒可以预防新冠肺炎",
    "地铁三号线明年通车",
    "白酒没有科学依据",
    "钟南山院士说新冠病毒会人传人",
]


def _index():
    index = Index()
    for row, text in enumerate(ARTICLE + ["新冠肺炎疫情期间市民减少外出", "地铁票价明年上调"]):
        words, names = words_of(text)
        index.add_passage(row + 1, 1 + row // 3, 0, len(text), list(words), list(names), [], False)
    index.finish_documents()
    for claim_id, text in enumerate(CLAIMS, start=1):
        index.add_claim(claim_id, list(words_of(text)[0]), [])
    index.refresh_claim_norms()
    return index


@pytest.mark.parametrize("dense_pairs", [assistant_index.DENSE_PAIRS, 0])
def test_one_pass_gives_each_sentence_its_own_scores(monkeypatch, dense_pairs):
    monkeypatch.setattr(assistant_index, "DENSE_PAIRS", dense_pairs)
    index = _index()
    sentences = [list(words_of(text)[0]) for text in ARTICLE]
    positions, rows, scores = index.claim_pairs(sentences, 0.2)
    found = {(int(p), int(r)): float(s) for p, r, s in zip(positions, rows, scores)}
    expected = {}
    for position, words in enumerate(sentences):
        alone = index.claim_scores(words)
        for row in np.nonzero(alone >= 0.2)[0]:
            expected[(position, int(row))] = float(alone[row])
    assert found.keys() == expected.keys()
    assert found == pytest.approx(expected, abs=1e-5)
    # The rumour's sentence says the rumour's claim, the metro sentence the metro claim.
    assert (0, 0) in found and (2, 1) in found
    assert not [pair for pair in found if pair[0] == 3]  # the weather says nothing


@pytest.mark.parametrize("dense_pairs", [assistant_index.DENSE_PAIRS, 0])
def test_a_claim_is_matched_by_its_words_of_now_not_those_before_an_edit(monkeypatch, dense_pairs):
    """A claim edited to other words is read again under a new row; one forgotten (deleted) has
    none: an article saying the old words repeats neither, in either way of summing."""
    monkeypatch.setattr(assistant_index, "DENSE_PAIRS", dense_pairs)
    index = _index()
    rumour, metro = [list(words_of(text)[0]) for text in (ARTICLE[0], ARTICLE[2])]
    found = index.claim_pairs([rumour, metro], 0.2)
    assert {index.c_claim[r] for r in found[1]} >= {1, 2}
    metro_row = index.row_of_claim[2]
    index.add_claim(1, list(words_of("钟南山院士说口罩可以预防新冠肺炎")[0]), [])  # edited
    index.forget_claim(2)  # deleted
    found = index.claim_pairs([rumour, metro], 0.2)
    claims = [index.c_claim[r] for r in found[1]]
    assert 2 not in claims
    assert claims.count(1) <= 1 and all(index.c_alive[r] for r in found[1])
    assert float(index.claim_scores(metro)[metro_row]) == 0.0
    # The edited claim is matched by its new words.
    new_words = list(words_of("钟南山院士说口罩可以预防新冠肺炎")[0])
    positions, rows, scores = index.claim_pairs([new_words], 0.2)
    assert index.row_of_claim[1] in set(rows.tolist())


def test_no_sentences_or_no_claims_give_no_pairs():
    index = _index()
    assert all(len(a) == 0 for a in index.claim_pairs([], 0.2))
    assert all(len(a) == 0 for a in Index().claim_pairs([["白酒"]], 0.2))


def test_a_claims_evidence_article_is_followed_when_it_is_read_again():
    """The likeness blended into a known claim's score is that of the claim's evidence article
    as the index holds it now: gone while the article is re-read, its new reading after."""
    index = _index()
    index.add_claim(9, list(words_of(CLAIMS[0])[0]), [1])
    row = index.row_of_claim[9]
    before = int(index.claim_documents()[row])
    assert before == index.doc_of[1]

    index.forget_article(1)
    assert index.claim_documents()[row] == -1

    words, names = words_of(ARTICLE[0])
    index.add_passage(99, 1, 0, len(ARTICLE[0]), list(words), list(names), [], False)
    index.finish_documents()
    assert index.claim_documents()[row] == index.doc_of[1] != before


def test_the_evidence_articles_likeness_is_their_likeness_among_all_articles():
    """An arriving article's likeness to the claims' evidence articles is read from those
    articles' own postings: the very scores that scoring it against every article gives them,
    for an article a claim quotes after it was read and for one read (again) after the claim."""
    index = _index()
    index.add_claim(9, list(words_of(CLAIMS[0])[0]), [1])  # article 1, read before the claim
    index.add_claim(10, list(words_of(CLAIMS[1])[0]), [2])
    index.forget_article(2)  # article 2 is read again, now that a claim quotes it
    for row, text in enumerate([ARTICLE[2], "地铁三号线明年通车，市民期待"]):
        words, names = words_of(text)
        index.add_passage(200 + row, 2, 0, len(text), list(words), list(names), [], False)
    index.finish_documents()
    evidence = [int(doc) for doc in index.claim_documents() if doc >= 0]
    assert sorted(evidence) == sorted({index.doc_of[1], index.doc_of[2]})
    for text in ["喝白酒可以预防新冠肺炎吗", "地铁三号线明年通车", "今天天气晴朗", "无关的话"]:
        words = list(words_of(text)[0])
        likeness = index.evidence_scores(words, evidence)
        assert likeness.tolist() == index.document_scores(words)[evidence].tolist()
    # The rumour is most like the rumour's article, the metro sentence the metro's.
    rumour = index.evidence_scores(list(words_of("喝白酒可以预防新冠肺炎吗")[0]), evidence)
    metro = index.evidence_scores(list(words_of("地铁三号线明年通车")[0]), evidence)
    first = evidence.index(index.doc_of[1])
    assert rumour[first] > rumour[1 - first] and metro[1 - first] > metro[first]


def test_a_desk_with_claims_and_no_articles_read_weighs_its_claims_once():
    """A desk whose articles the assistant has not read yet (NEWSROOM_ASSISTANT_ON_IMPORT=0,
    before `manage.py assistant_index`) has claims and no sentences: their weights are computed
    once, not again at every look at the index (each page of a claim looks three times: at
    100,000 claims that was 1.6 s a look)."""
    index = Index()
    for claim_id, text in enumerate(CLAIMS, start=1):
        index.add_claim(claim_id, list(words_of(text)[0]), [])
    index.refresh_claim_norms()
    weighed = index.c_self
    index.refresh_claim_norms()
    assert index.c_self is weighed
    # Articles read afterwards bring them up to date.
    for row, text in enumerate(ARTICLE):
        words, names = words_of(text)
        index.add_passage(row + 1, 1, 0, len(text), list(words), list(names), [], False)
    index.finish_documents()
    index.refresh_claim_norms()
    assert index.c_self is not weighed
