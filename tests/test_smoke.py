def test_the_rumour_claim_is_published_with_its_verdict(published_digest):
    entry = published_digest.entries.get()
    assert entry.snapshot["verdict"]["label"] == "rumour — unverified"
    assert entry.snapshot["evidence"][0]["article"]["filename"].startswith("004_")
