"""The desk's review as a file an editor can read: `seeds/review.yaml`.

    sources:  [{name, kind, homepage, notes, files: [article filenames]}]
    claims:   [{key, text, gloss, claimant?, claimant_kind?, claimed_on?, first_appearance?,
                evidence:  [{file, quote, stance, note?, start?}],
                citations: [{title, publisher, url?, date?, cited_in?, stance, note}],
                verdict:   {rating, rationale, proposed_by, approved_by?}}]
    digests:  [{slug, title, intro, claims: [keys], published, reviewer,
                corrects?, correction_note?}]
    glossary: [{term, canonical, note?}]   aliases the claim assistant reads as one name

`load_review` checks the whole file before it stores anything, then applies it in one
transaction through claims.services, so a loaded review obeys the same rules as work entered
by hand (quotes anchored in the article, nobody approves their own verdict, published digests
never change). Loading is idempotent: claims are matched by `key`, evidence by its span or
citation, verdicts by rating and rationale. `export_review` writes the same format back.
"""

import dataclasses
import datetime
from pathlib import Path

import yaml
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from claims import notices, services
from claims.assistant import glossary
from claims.models import Claim, Digest, Evidence, Verdict
from claims.review_export import dump, export_data, export_review  # noqa: F401 (one entry point)
from newsroom import safe_yaml
from sources.models import Article, Source
from sources.text import control_character_problem


class ReviewFileError(Exception):
    """The file cannot be loaded; `errors` lists every problem found, one line each."""

    def __init__(self, errors):
        self.errors = [errors] if isinstance(errors, str) else list(errors)
        super().__init__(
            self.errors[0]
            if len(self.errors) == 1
            else f"{len(self.errors)} problems: " + " | ".join(self.errors)
        )


@dataclasses.dataclass
class LoadReport:
    claims_created: int = 0
    claims_changed: int = 0
    evidence_added: int = 0
    verdicts_approved: int = 0
    digests_published: int = 0
    sources_changed: int = 0
    glossary_changed: int = 0
    notes: list = dataclasses.field(default_factory=list)

    @property
    def changed(self):
        return any(
            (
                self.claims_created,
                self.claims_changed,
                self.evidence_added,
                self.verdicts_approved,
                self.digests_published,
                self.sources_changed,
                self.glossary_changed,
            )
        )

    def summary(self):
        if not self.changed:
            return "Nothing to change: the database already holds this review."
        return (
            f"{self.claims_created} claims created, {self.claims_changed} changed, "
            f"{self.evidence_added} pieces of evidence added, {self.verdicts_approved} "
            f"verdicts approved, {self.digests_published} digests published, "
            f"{self.sources_changed} sources described, {self.glossary_changed} glossary "
            f"entries stored."
        )


# --- reading and checking --------------------------------------------------------------------


def read(path_or_data):
    if isinstance(path_or_data, dict):
        return path_or_data
    path = Path(path_or_data)
    try:
        data = safe_yaml.load(path.read_text(encoding="utf-8"))  # no aliases: no YAML bombs
    except OSError as exc:
        raise ReviewFileError(f"{path}: cannot be read ({exc.strerror}).") from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        reason = str(exc).replace("\n", " ")
        raise ReviewFileError(f"{path}: not a valid YAML file ({reason}).") from None
    if not isinstance(data, dict):
        raise ReviewFileError(f"{path}: expected sections sources, claims and digests.")
    return data


class _Checker:
    """Resolves names in the file (files, users, claim keys) and collects every problem."""

    def __init__(self):
        self.errors = []
        self._articles = {}
        self._users = {}

    def article(self, filename, where):
        if filename not in self._articles:
            found = list(Article.objects.filter(filename=filename)[:2])
            self._articles[filename] = found[0] if len(found) == 1 else None
            if not found:
                self.errors.append(
                    f"{where}: no imported article comes from the file "
                    f"“{filename}” (import the articles first)."
                )
            elif len(found) > 1:
                self.errors.append(
                    f"{where}: several articles come from a file named “{filename}”."
                )
        return self._articles[filename]

    def user(self, username, where):
        if username not in self._users:
            self._users[username] = get_user_model().objects.filter(username=username).first()
            if self._users[username] is None:
                self.errors.append(
                    f"{where}: there is no user “{username}” (create it first; "
                    f"`make demo` creates editor and reviewer)."
                )
        return self._users[username]


def _items(data, name):
    value = data.get(name) or []
    if not isinstance(value, list):
        raise ReviewFileError(f"The section “{name}” must be a list.")
    for item in value:
        if not isinstance(item, dict):
            raise ReviewFileError(f"Every entry of “{name}” must be a mapping, not {item!r}.")
    return value


def _date(value, where, check):
    if value in (None, ""):
        return None
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        check.errors.append(f"{where}: “{value}” is not a date (YYYY-MM-DD).")


def _check_claim(item, check):
    key = str(item.get("key") or "").strip()
    where = f"claim {key or '(no key)'}"
    plan = {
        "key": key,
        "text": str(item.get("text") or "").strip(),
        "gloss": str(item.get("gloss") or ""),
        "evidence": [],
        "verdict": None,
        # Who made the claim, when, and the file of the article where it first appeared.
        "origin": {
            "claimant": str(item.get("claimant") or "").strip(),
            "claimant_kind": str(item.get("claimant_kind") or "organization"),
            "claimed_on": _date(item.get("claimed_on"), where, check),
            "first_appearance": check.article(item["first_appearance"], where)
            if item.get("first_appearance")
            else None,
        },
    }
    if not key:
        check.errors.append(f"{where}: every claim needs a key.")
    origin = plan["origin"]
    if origin["claimant_kind"] not in services.CLAIMANT_KINDS:
        check.errors.append(
            f"{where}: unknown claimant_kind “{origin['claimant_kind']}” "
            f"(use {', '.join(services.CLAIMANT_KINDS)})."
        )
    if origin["claimed_on"] and origin["claimed_on"] > timezone.localdate():
        check.errors.append(f"{where}: claimed_on {origin['claimed_on']} is in the future.")
    if not plan["text"]:
        check.errors.append(f"{where}: the claim has no text.")
    for ev in item.get("evidence") or []:
        stance = ev.get("stance", Evidence.Stance.SUPPORTS)
        if stance not in Evidence.Stance.values:
            check.errors.append(
                f"{where}: unknown stance “{stance}” (use {', '.join(Evidence.Stance.values)})."
            )
        article = check.article(ev.get("file"), where)
        if article is None:
            continue
        try:
            start, end, quote = services.anchor_quote(article, ev.get("quote"), ev.get("start"))
        except services.QuoteNotFound:
            check.errors.append(
                f"{where}: the quote “{str(ev.get('quote'))[:40]}” is not in {ev.get('file')}."
            )
            continue
        plan["evidence"].append(
            {
                "article": article,
                "quote": quote,
                "start": start,
                "stance": stance,
                "note": ev.get("note") or "",
            }
        )
    for cit in item.get("citations") or []:
        stance = cit.get("stance", Evidence.Stance.SUPPORTS)
        if stance not in Evidence.Stance.values:
            check.errors.append(f"{where}: unknown stance “{stance}”.")
        if not (cit.get("title") or cit.get("url")):
            check.errors.append(f"{where}: a citation needs a title or a URL.")
        plan["evidence"].append(
            {
                "citation_title": cit.get("title") or "",
                "url": cit.get("url") or "",
                "publisher": cit.get("publisher") or "",
                "stance": stance,
                "cited_on": _date(cit.get("date"), where, check),
                "note": cit.get("note") or "",
                "cited_in": check.article(cit["cited_in"], where) if cit.get("cited_in") else None,
            }
        )
    verdict = item.get("verdict")
    if verdict:
        rating = verdict.get("rating")
        if rating not in Verdict.Rating.values:
            check.errors.append(
                f"{where}: unknown rating “{rating}” (use {', '.join(Verdict.Rating.values)})."
            )
        if not str(verdict.get("rationale") or "").strip():
            check.errors.append(f"{where}: the verdict has no rationale.")
        if not verdict.get("proposed_by"):
            check.errors.append(f"{where}: the verdict needs proposed_by (who proposes it).")
        plan["verdict"] = {
            "rating": rating,
            "rationale": str(verdict.get("rationale") or "").strip(),
            "proposed_by": check.user(verdict["proposed_by"], f"{where} (proposed_by)")
            if verdict.get("proposed_by")
            else None,
            "approved_by": check.user(verdict["approved_by"], f"{where} (approved_by)")
            if verdict.get("approved_by")
            else None,
        }
    author = item.get("created_by") or (verdict or {}).get("proposed_by")
    if not author:
        check.errors.append(f"{where}: say who enters the claim (created_by or a verdict).")
    plan["author"] = check.user(author, f"{where} (created_by)") if author else None
    first = origin["first_appearance"]
    if first is not None and first not in [ev["article"] for ev in plan["evidence"]]:
        check.errors.append(
            f"{where}: first_appearance “{item['first_appearance']}” is not one of the files "
            "its evidence quotes."
        )
    return plan


def _control_character(value, where=""):
    """Where the first text of the file holds a control character, and which, or ""."""
    if isinstance(value, str):
        problem = control_character_problem(value)
        return f"{where or 'the file'} {problem}." if problem else ""
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return ""
    for key, item in items:
        found = _control_character(item, f"{where}.{key}" if where else str(key))
        if found:
            return found
    return ""


def check_review(data):
    """Everything the file names, resolved; a ReviewFileError listing every problem if not."""
    problem = _control_character(data)
    if problem:
        raise ReviewFileError(problem)
    check = _Checker()
    sources = []
    for item in _items(data, "sources"):
        kind = item.get("kind", Source.Kind.OUTLET)
        if kind not in Source.Kind.values:
            check.errors.append(
                f"source {item.get('name')}: unknown kind “{kind}” "
                f"(use {', '.join(Source.Kind.values)})."
            )
        articles = [check.article(f, f"source {item.get('name')}") for f in item.get("files") or []]
        sources.append({"item": item, "articles": [a for a in articles if a]})
    claims = [_check_claim(item, check) for item in _items(data, "claims")]
    keys = [c["key"] for c in claims]
    for key in {k for k in keys if keys.count(k) > 1}:
        check.errors.append(f"claim {key}: the key is used more than once.")
    digests = []
    for item in _items(data, "digests"):
        where = f"digest {item.get('slug') or item.get('title')}"
        if not item.get("slug") or not item.get("title"):
            check.errors.append(f"{where}: a digest needs a slug and a title.")
        for key in item.get("claims") or []:
            if key not in keys:
                check.errors.append(f"{where}: no claim has the key “{key}”.")
        reviewer = check.user(item.get("reviewer"), f"{where} (reviewer)")
        digests.append({"item": item, "reviewer": reviewer})
    glossary_items = _items(data, "glossary")
    check.errors.extend(glossary.check_entries(glossary_items))
    if check.errors:
        raise ReviewFileError(check.errors)
    return {"sources": sources, "claims": claims, "digests": digests, "glossary": glossary_items}


# --- loading ---------------------------------------------------------------------------------


def _signature(ev):
    """What makes two pieces of evidence the same, from the file or from the database."""
    if isinstance(ev, Evidence):
        ev = {
            "article": ev.article,
            "start": ev.start,
            "quote": ev.quote,
            "stance": ev.stance,
            "note": ev.note,
            "citation_title": ev.citation_title,
            "url": ev.url,
            "publisher": ev.publisher,
            "cited_on": ev.cited_on,
            "cited_in": ev.cited_in,
        }
    if ev.get("article") is not None:
        return ("span", ev["article"].pk, ev["start"], ev["quote"], ev["stance"], ev["note"])
    cited_in = ev.get("cited_in")
    return (
        "citation",
        ev["citation_title"],
        ev["url"],
        ev["publisher"],
        ev["cited_on"],
        cited_in.pk if cited_in else None,
        ev["stance"],
        ev["note"],
    )


def _load_claim(plan, report):
    claim = Claim.objects.filter(review_key=plan["key"]).first()
    created, changed = claim is None, False
    if claim is None:
        # A new claim arrives with its evidence: one version, as an editor's new claim does.
        claim = services.create_claim(
            actor=plan["author"], text=plan["text"], gloss=plan["gloss"], evidence=plan["evidence"]
        )
        Claim.objects.filter(pk=claim.pk).update(review_key=plan["key"])
        report.claims_created += 1
        report.evidence_added += len(plan["evidence"])
    elif (claim.text, claim.gloss) != (plan["text"], plan["gloss"]):
        changed = True
        claim = services.update_claim(
            claim,
            actor=plan["author"],
            version=claim.version,
            text=plan["text"],
            gloss=plan["gloss"],
        )
    have = {_signature(ev) for ev in claim.evidence.select_related("article", "cited_in")}
    for ev in plan["evidence"]:
        if _signature(ev) not in have:
            services.add_evidence(claim, actor=plan["author"], **ev)
            report.evidence_added += 1
    # The origin after the evidence: the first appearance is one of its articles.
    origin = plan["origin"]
    if any(getattr(claim, name) != value for name, value in origin.items()):
        changed = changed or not created
        version = Claim.objects.values_list("version", flat=True).get(pk=claim.pk)
        claim = services.update_claim(claim, actor=plan["author"], version=version, **origin)
    report.claims_changed += changed
    extra = len(have - {_signature(ev) for ev in plan["evidence"]})
    if extra:  # Evidence is never removed by a file: an editor decides in the review pages.
        report.notes.append(
            f"claim {plan['key']}: {extra} pieces of evidence in the database "
            f"are not in the file; they are kept."
        )
    _load_verdict(claim, plan["verdict"], report)
    return claim


def _load_verdict(claim, wanted, report):
    if wanted is None:
        return
    same = claim.verdicts.filter(rating=wanted["rating"], rationale=wanted["rationale"])
    if wanted["approved_by"] is None:
        if not same.filter(status__in=[Verdict.Status.PROPOSED, Verdict.Status.APPROVED]).exists():
            services.propose_verdict(
                claim,
                actor=wanted["proposed_by"],
                rating=wanted["rating"],
                rationale=wanted["rationale"],
            )
        return
    if same.filter(status=Verdict.Status.APPROVED).exists():
        return
    verdict = same.filter(status=Verdict.Status.PROPOSED, proposed_by=wanted["proposed_by"]).first()
    if verdict is None:
        verdict = services.propose_verdict(
            claim,
            actor=wanted["proposed_by"],
            rating=wanted["rating"],
            rationale=wanted["rationale"],
        )
    services.approve_verdict(
        verdict, actor=wanted["approved_by"], claim_version=verdict.claim.version
    )
    report.verdicts_approved += 1


def _load_digest(plan, claims, report):
    item, reviewer = plan["item"], plan["reviewer"]
    digest = Digest.objects.filter(slug=item["slug"]).first()
    if digest is not None and digest.is_published:
        return  # Published digests never change; a correction is a new digest in the file.
    wanted = [claims[key] for key in item.get("claims") or []]
    if digest is None and item.get("corrects"):
        old = Digest.objects.filter(slug=item["corrects"]).first()
        if old is None:
            raise services.ReviewError(f"it corrects “{item['corrects']}”, which does not exist.")
        digest = services.start_correction(
            old, actor=reviewer, note=item.get("correction_note"), title=item["title"]
        )
        Digest.objects.filter(pk=digest.pk).update(slug=item["slug"])
        digest.refresh_from_db()
    if digest is None:
        digest = services.create_digest(
            actor=reviewer,
            title=item["title"],
            claims=wanted,
            intro=item.get("intro") or "",
            slug=item["slug"],
        )
    else:
        if (digest.title, digest.intro) != (item["title"], item.get("intro") or ""):
            digest.title, digest.intro = item["title"], item.get("intro") or ""
            digest.save(update_fields=["title", "intro"])
        if [e.claim_id for e in digest.entries.all()] != [c.pk for c in wanted]:
            services.set_digest_claims(digest, claims=wanted)
    if item.get("published"):
        services.publish_digest(digest, actor=reviewer)
        report.digests_published += 1


def _load_source(plan, report):
    item = plan["item"]
    found = {a.source for a in plan["articles"]}
    if not found:
        found = set(Source.objects.filter(name=item.get("name")))
    if not found:
        report.notes.append(f"source {item.get('name')}: not in the database; left out.")
    for source in found:
        wanted = {
            "kind": item.get("kind", source.kind),
            "homepage": item.get("homepage") or "",
            "notes": item.get("notes") or "",
        }
        if any(getattr(source, f) != v for f, v in wanted.items()):
            for field, value in wanted.items():
                setattr(source, field, value)
            source.save(update_fields=list(wanted))
            report.sources_changed += 1


def load_review(path_or_data):
    """Check the whole review, then store it in one transaction; a LoadReport says what changed.
    Raises ReviewFileError (nothing stored) if anything in the file is wrong or refused."""
    plan = check_review(read(path_or_data))
    report = LoadReport()
    # Past work recorded, not news: no email notices (claims.notices) for what it stores.
    with notices.paused(), transaction.atomic():
        report.glossary_changed = glossary.load_entries(plan["glossary"])
        for source in plan["sources"]:
            _load_source(source, report)
        claims = {}
        for claim_plan in plan["claims"]:
            try:
                claims[claim_plan["key"]] = _load_claim(claim_plan, report)
            except services.ReviewError as exc:
                raise ReviewFileError(f"claim {claim_plan['key']}: {exc.message}") from None
        for digest_plan in plan["digests"]:
            try:
                _load_digest(digest_plan, claims, report)
            except services.ReviewError as exc:
                raise ReviewFileError(
                    f"digest {digest_plan['item']['slug']}: {exc.message}"
                ) from None
    return report
