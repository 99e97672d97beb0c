"""Every review page and every public page, checked with axe-core (bundled by
axe-playwright-python) in Debian's chromium, as the user who works on it: no critical and no
serious violation anywhere; and no page, at 320 CSS pixels wide, that must be scrolled sideways
(WCAG's Reflow, which axe-core does not check). What axe finds, of every impact, is printed
(`-s` shows it) and written to test-artifacts/axe.json.

One browser context per role (anonymous reader, editor, reviewer), one page each, going from
address to address: the desk's seed review is loaded once, with a draft digest, a verdict
waiting for review and an import job beside it, so that the pages show what they show at work
(tables, forms, highlights, a digest's claims), not their empty states. Some pages are scanned
in the state a user brings them to as well: a form sent back with errors, the reader with a
selection (the toolbar) and with the keyboard in the article body."""

import json
from collections import Counter

import pytest
from axe_playwright_python.sync_playwright import Axe

from claims import assistant, services
from claims.models import Claim, Digest
from claims.review_file import load_review
from sources import jobs
from tests.browser.test_review_flow import SELECT, open_page, sign_in
from tests.conftest import RUMOUR_QUOTE, disputed_age_claim
from tests.seed_data import REVIEW

pytestmark = pytest.mark.browser
BLOCKING = ("critical", "serious")
# WCAG 2.1's Reflow (1.4.10), which axe-core does not check: at 320 CSS pixels wide (a
# 1280-pixel window zoomed to 400%, or a small phone) a page needs no scrolling sideways.
REFLOW_WIDTH = 320
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def desk(live_server, seed_articles, editor, reviewer, settings):
    """The seed review, published, with what a working day adds to it."""
    load_review(REVIEW)
    published = Digest.objects.published().get()
    public_claim = published.entries.order_by("position").first().claim
    # A claim whose verdict waits for the reviewer (待我处理, the approve and send-back forms).
    waiting = services.create_claim(
        actor=editor,
        text="Meta的Llama 4团队约80%的成员已经辞职",
        evidence=[{"article": seed_articles["004"], "quote": RUMOUR_QUOTE}],
    )
    services.propose_verdict(waiting, actor=editor, rating="rumour", rationale="只有二手爆料。")
    draft = services.create_digest(
        actor=reviewer,
        title="本周核查（草稿）",
        claims=list(Claim.objects.filter(verdicts__status="approved").order_by("pk")[:3]),
        intro="草稿导语。",
    )
    # Two articles that give one person's age differently, and a claim quoting one of them: the
    # assistant's queue lists a conflict and the claim's workbench shows it (the seeds have none).
    disputed = disputed_age_claim(editor, prefix="age-")
    assert assistant.claim_conflicts(disputed)
    settings.TASKS = DATABASE_TASKS
    job = jobs.start_upload_import(
        [
            ("metro.txt", "地铁通车\n市政府今天宣布地铁三号线将于明年通车。\n".encode()),
            ("x.txt", b""),
        ],
        user=editor,
    )
    jobs.run_import_job(job.pk)
    # The article with the most highlights: the reader at its busiest.
    busiest = max(seed_articles.values(), key=lambda article: article.evidence.count())
    return {
        "base": live_server.url,
        "published": published,
        "public_claim": public_claim,
        "waiting": waiting,
        "disputed": disputed,
        "draft": draft,
        "job": job,
        "article": busiest,
        "editor": editor,
        "reviewer": reviewer,
    }


DUPLICATE_IDS = """() => {
  const seen = new Map();
  for (const element of document.querySelectorAll("[id]")) {
    seen.set(element.id, (seen.get(element.id) || 0) + 1);
  }
  return [...seen].filter(([, count]) => count > 1).map(([id]) => id);
}"""


class Scans:
    """axe-core's findings, page by page.

    axe-core is put into every page of a context when the page loads (an init script), rather
    than sent to the page before each scan: 570 KB a scan. A page in another script than the
    one before it (`?script=`) is the same page in the same colours: its colour contrast, the
    costliest rule (two thirds of a scan of the home page), was checked on the page before it;
    every other rule is run again."""

    def __init__(self, base):
        self.source = Axe().axe_script
        self.base = base
        self.pages = []
        self.contexts = set()

    def visit(self, page, role, path, status=200, *, contrast=None):
        response = page.goto(self.base + path)
        assert response.status == status, f"{role} {path}: {response.status}"
        self.check(page, role, path, contrast=contrast)
        self.pages[-1]["laid_out_width"] = self.width_at(page, REFLOW_WIDTH)

    @staticmethod
    def width_at(page, width):
        """How wide the page is laid out in a window `width` CSS pixels wide (the page is not
        loaded again: its styles for that width apply), the window then put back."""
        size = page.viewport_size
        page.set_viewport_size({"width": width, "height": size["height"]})
        laid_out = page.evaluate("document.documentElement.scrollWidth")
        page.set_viewport_size(size)
        return laid_out

    def violations(self, page, *, contrast=True, within=None):
        """axe-core's violations on the page, or only in the elements the CSS selectors
        `within` name (rules about the page as a whole, such as landmarks, are then not run)."""
        options = {"resultTypes": ["violations"]}
        if not contrast:
            options["rules"] = {"color-contrast": {"enabled": False}}
        if page.evaluate("typeof axe") == "undefined":  # a context's first scan
            page.evaluate(self.source)
            if id(page.context) not in self.contexts:
                self.contexts.add(id(page.context))
                page.context.add_init_script(script=self.source)
        # Only the violations come back: the whole result (passes, inapplicable rules, 75 KB
        # on a digest page) cost a third of a scan's time to serialize and read.
        context = {"include": [[selector] for selector in within]} if within else None
        return page.evaluate(
            "([context, options]) => axe.run(context || document, options)"
            ".then(result => result.violations)",
            [context, options],
        )

    def check(self, page, role, label, *, contrast=None, within=None):
        """Scan the page; its colour contrast too unless `contrast` is False (by default, unless
        the page is one in another script than the one before it)."""
        page.wait_for_load_state("load")
        if contrast is None:
            contrast = "script=" not in label
        found = self.violations(page, contrast=contrast, within=within)
        self.pages.append(
            {
                "role": role,
                "page": label,
                # axe-core no longer reports these, but a label then names another field.
                "duplicate_ids": page.evaluate(DUPLICATE_IDS),
                "violations": [
                    {
                        "impact": rule["impact"],
                        "rule": rule["id"],
                        "help": rule["help"],
                        "nodes": [node["target"] for node in rule["nodes"]],
                        "summary": rule["nodes"][0].get("failureSummary", ""),
                    }
                    for rule in found
                ],
            }
        )

    def counts(self):
        return Counter(v["impact"] for page in self.pages for v in page["violations"])

    def report(self):
        counts = self.counts()
        lines = [
            f"axe-core on {len(self.pages)} page scans: "
            + ", ".join(f"{counts[i]} {i}" for i in ("critical", "serious", "moderate", "minor"))
        ]
        for page in self.pages:
            if page["duplicate_ids"]:
                lines.append(
                    f"  ids used twice on {page['role']} {page['page']}: {page['duplicate_ids']}"
                )
            if page.get("laid_out_width", 0) > REFLOW_WIDTH:
                lines.append(
                    f"  wider than {REFLOW_WIDTH} pixels on {page['role']} {page['page']}: "
                    f"{page['laid_out_width']}"
                )
            for v in page["violations"]:
                targets = " ".join(" ".join(t) for t in v["nodes"][:4])
                lines.append(
                    f"  [{v['impact']}] {v['rule']} on {page['role']} {page['page']}: "
                    f"{v['help']} ({len(v['nodes'])}: {targets})"
                )
        return "\n".join(lines)


@pytest.mark.slow(seconds=25)
def test_no_page_has_a_critical_or_serious_violation(chromium, artifacts, desk):
    base, scans = desk["base"], Scans(desk["base"])
    article, draft, published = desk["article"], desk["draft"], desk["published"]
    problems = []

    # The public site and the login page, anonymous.
    page = open_page(chromium, problems)
    scans.visit(page, "anonymous", "/accounts/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "not-the-password")
    page.click("button[type=submit]")
    scans.check(page, "anonymous", "/accounts/login/ (wrong password)")
    scans.visit(page, "anonymous", "/")
    home = page.inner_text("main")
    # The home page is the newest digest's page: the digest's own address is the same page in
    # the same colours, whose contrast was checked on the home page (see Scans).
    scans.visit(page, "anonymous", published.get_absolute_url(), contrast=False)
    assert home.startswith(page.inner_text("main"))  # the home page adds a link to the archive
    for path in [
        "/?script=hk",
        "/digests/",
        published.get_absolute_url() + "?script=hant",
        f"/claims/{desk['public_claim'].pk}/",
        f"/claims/{desk['public_claim'].pk}/?script=hans",
        "/about/",
        "/search/",
        "/search/?q=裁員",
    ]:
        scans.visit(page, "anonymous", path)
    scans.visit(page, "anonymous", "/no-such-page/", status=404)
    scans.visit(page, "anonymous", "/claims/999999/", status=404)

    # The editor's pages.
    page = open_page(chromium, problems)
    sign_in(page, base, desk["editor"])
    reader = f"/review/articles/{article.pk}/"
    for path in [
        "/review/",
        "/review/?q=裁员&status=approved",
        "/review/waiting/",
        "/review/search/",
        "/review/search/?q=裁员",
        "/review/import/",
        f"/review/import/{desk['job'].pk}/",
        reader,
        reader + "?script=hant",
        f"/review/claims/{desk['public_claim'].pk}/",
        f"/review/claims/{desk['waiting'].pk}/",
        f"/review/claims/{desk['disputed'].pk}/",
        "/review/assistant/",
        "/review/digests/",
        f"/review/digests/{draft.pk}/",
        f"/review/digests/{draft.pk}/preview/",
    ]:
        scans.visit(page, "editor", path)
    # The refusal page: a form's address opened as a page.
    scans.visit(page, "editor", f"/review/claims/{desk['public_claim'].pk}/edit/", status=405)
    # The logout address opened as a page: it asks, with the button.
    scans.visit(page, "editor", "/accounts/logout/")
    # The reader in the states an editor brings it to. The page itself was scanned above: each
    # state is scanned where it changes the page (the toolbar; the caret's tip and the status
    # line; the form and its errors), not through the article and the side column again: a
    # whole scan of the busiest article costs chromium 1.5 s of CPU, these 0.05 s.
    # With a selection: the toolbar is out.
    page.goto(base + reader)
    assert page.evaluate(SELECT, article.body[10:30].strip() or article.body[:20])
    page.locator("#selection-toolbar").wait_for(state="visible")
    scans.check(
        page, "editor", reader + " (a selection, its toolbar)", within=["#selection-toolbar"]
    )
    # By keyboard: the body focused, the caret on a highlight, its claim shown beside it.
    page.goto(base + reader)
    page.focus("#article-body")
    page.keyboard.press("n")
    page.locator(".reader-tip").wait_for(state="visible")
    scans.check(
        page,
        "editor",
        reader + " (keyboard on a highlight)",
        within=[".reader-tip", "#reader-status"],
    )
    # A quote that is not in the article: the page comes back with the form's errors.
    page.goto(base + reader)
    page.fill("#new-claim-quote", "这句话不在文章里")
    page.locator("#new-claim-form button[type=submit]").click()
    page.locator("#new-claim-form .error").first.wait_for()
    scans.check(page, "editor", reader + " (new claim with errors)", within=["#new-claim"])

    # The reviewer's pages: the digest composer, and a verdict to approve.
    page = open_page(chromium, problems)
    sign_in(page, base, desk["reviewer"])
    for path in [
        "/review/waiting/",
        f"/review/claims/{desk['waiting'].pk}/",
        "/review/digests/",
        "/review/digests/new/",
        f"/review/digests/{draft.pk}/",
        f"/review/digests/{draft.pk}/edit/",
        f"/review/digests/{draft.pk}/preview/",
        f"/review/digests/{draft.pk}/publish/",
        f"/review/digests/{published.pk}/",
        f"/review/digests/{published.pk}/correct/",
    ]:
        scans.visit(page, "reviewer", path)

    # The scans above found nothing to report because there is nothing, not because axe-core
    # did not run: on a page with faults it finds them, contrast included (a blank page: the
    # site's own pages allow no inline style), and a scan of a part finds those in that part.
    page.goto("about:blank")
    page.set_content(
        '<html lang="zh"><head><title>x</title></head><body><main><div id="part">'
        '<img src="x.png"><p style="color:#eee;background:#fff">浅色的字</p></div></main>'
        '<img src="y.png"></body></html>'
    )
    assert {v["id"] for v in scans.violations(page)} >= {"image-alt", "color-contrast", "region"}
    in_part = scans.violations(page, within=["#part"])
    assert {v["id"] for v in in_part} == {"image-alt", "color-contrast"}
    assert [node["target"] for v in in_part for node in v["nodes"] if v["id"] == "image-alt"] == [
        ['img[src="x.png"]']
    ]

    (artifacts / "axe.json").write_text(
        json.dumps(scans.pages, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    report = scans.report()
    print(report)
    blocking = [
        (page["page"], v["rule"])
        for page in scans.pages
        for v in page["violations"]
        if v["impact"] in BLOCKING
    ]
    assert not blocking, report
    assert not [page["page"] for page in scans.pages if page["duplicate_ids"]], report
    assert not [p["page"] for p in scans.pages if p.get("laid_out_width", 0) > REFLOW_WIDTH], report
    assert sum("laid_out_width" in page for page in scans.pages) >= 35
    assert len(scans.pages) >= 40
    assert [p for p in problems if "status of 4" not in p] == []
