"""Forms of the review pages. They check the shape of the input; the desk's rules (anchoring,
four-eyes, stale edits) stay in claims/services.py."""

import unicodedata

from django import forms
from django.db.models import Count
from django.urls import reverse_lazy
from django.utils.functional import lazy
from django.utils.translation import gettext, ngettext, pgettext
from django.utils.translation import gettext_lazy as _

from claims.access import desk_members
from claims.models import Claim, Digest, Evidence, Verdict
from sources.models import Article, Source
from sources.text import refuse_control_characters

STANCE_CHOICES = Evidence.Stance.choices
# The verdicts' names (msgctxt "rating"), in the editor's language.
RATING_CHOICES = Verdict.Rating.choices


def _choose_a_verdict():
    names = pgettext("enumeration", ", ").join(str(label) for _value, label in RATING_CHOICES)
    return gettext("Choose a verdict: %(ratings)s") % {"ratings": names}


choose_a_verdict = lazy(_choose_a_verdict, str)


class RefusesControlCharacters:
    """Form field mixin for text that the desk stores: control characters are refused
    (sources.text), before the surrounding whitespace is stripped, so none is dropped silently."""

    def to_python(self, value):
        refuse_control_characters(value)
        return super().to_python(value)


class TextField(RefusesControlCharacters, forms.CharField):
    pass


class URLField(RefusesControlCharacters, forms.URLField):
    pass


class QueueFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Simplified or Traditional")}
        ),
    )
    source = forms.ModelChoiceField(
        label=_("Source"),
        queryset=Source.objects.all(),
        required=False,
        empty_label=_("All sources"),
    )
    # Not `script`: everywhere else that name converts texts (?script=hans|hant|hk).
    original_script = forms.ChoiceField(
        label=_("Original script"),
        required=False,
        choices=[("", _("All"))] + list(Article.Script.choices),
    )
    rating = forms.ChoiceField(
        label=_("Verdict"), required=False, choices=[("", _("All"))] + RATING_CHOICES
    )
    # "" everyone's, "me", "none" (nobody's), or a desk member's id: cleaned to "", "none" or
    # the User (claims.services.assign_claims gives claims to people).
    assignee = forms.ChoiceField(label=_("Assignee"), required=False)

    def __init__(self, *args, user=None, members=None, **kwargs):
        """`members`: the desk's editors and reviewers, when the view has read them."""
        super().__init__(*args, **kwargs)
        self.user = user
        self.members = list(desk_members()) if members is None else members
        self.fields["assignee"].choices = assignee_choices(self.members, user, everyone=_("All"))

    def clean_assignee(self):
        return chosen_member(self.cleaned_data["assignee"], self.members, self.user)


def assignee_choices(members, user=None, everyone=None, nobody=None):
    """The options of a "who" select: (everyone,) me, nobody, then each desk member."""
    nobody = gettext("Unassigned") if nobody is None else nobody
    choices = [("", everyone)] if everyone else []
    if user is not None and any(m.pk == user.pk for m in members):
        choices.append(("me", gettext("Me (%(name)s)") % {"name": user.get_username()}))
    choices.append(("none", nobody))
    return choices + [(str(m.pk), m.get_username()) for m in members]


def chosen_member(value, members, user=None):
    """ "", "none", or the member a cleaned "who" value names ("me": the user)."""
    if value in ("", "none"):
        return value
    if value == "me":
        return user
    return next(m for m in members if str(m.pk) == value)


class ExportFilterForm(QueueFilterForm):
    """The queue's filters, and the state of a claim's review (claims.claim_export)."""

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("All")),
            ("unrated", _("No verdict yet")),
            ("proposed", _("Verdict awaiting review")),
            ("approved", _("Approved, not published")),
            ("published", _("Published")),
        ],
    )


class SelectionForm(forms.Form):
    """A span of an article: the quote, and where the editor selected it (code points)."""

    quote = TextField(
        label=_("Quote (the article's own words)"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    start = forms.IntegerField(min_value=0, required=False, widget=forms.HiddenInput)
    end = forms.IntegerField(min_value=0, required=False, widget=forms.HiddenInput)
    stance = forms.ChoiceField(
        label=_("Stance"), choices=STANCE_CHOICES, initial=Evidence.Stance.SUPPORTS
    )


class NewClaimForm(SelectionForm):
    text = TextField(
        label=_("Claim text (leave empty to use the quote)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    field_order = ["quote", "text", "stance", "start", "end"]

    def __init__(self, *args, **kwargs):
        # Two selection forms share one page: their ids must differ.
        kwargs.setdefault("auto_id", "new-claim-%s")
        super().__init__(*args, **kwargs)
        # The sentence a claim is taken from is where it is made, not evidence for it.
        self.fields["stance"].initial = Evidence.Stance.SOURCE


class Picker:
    """A choice among many rows (claims, articles) that works without JavaScript: the select
    offers a short list, narrowed by a search field (`find`) that the form's "find" button
    submits; validation still accepts any row of the field's queryset. The view passes the
    short list to `offer`."""

    pick_field = ""

    def offer(self, rows, more=False, empty_label=None):
        empty_label = gettext("Choose…") if empty_label is None else empty_label
        field = self.fields[self.pick_field]
        chosen = self[self.pick_field].value()
        choices = [(row.pk, self.pick_label(row)) for row in rows]
        if (
            chosen
            and str(chosen).isdecimal()
            and len(str(chosen)) < 19
            and int(chosen) not in {row.pk for row in rows}
        ):
            kept = field.queryset.filter(pk=int(chosen)).first()
            if kept is not None:  # keep what the editor chose on the page it comes back to
                choices.insert(0, (kept.pk, self.pick_label(kept)))
        field.widget.choices = [("", empty_label)] + choices
        self.more_choices = more
        self.offered = len(choices)

    @staticmethod
    def pick_label(row):
        return str(row)


class ClaimNumberField(forms.Field):
    """A claim chosen by its number, typed into a plain text field ("12", "#12", full-width
    digits too): it works without JavaScript; the page's script (static/review/claim_picker.js)
    fills it from a search. Cleans to the Claim."""

    widget = forms.TextInput
    default_error_messages = {
        "invalid": _("Enter a claim number (digits, such as 12 or #12)."),
        "missing": _("There is no claim number %(number)s."),
    }

    def __init__(self, *, queryset, **kwargs):
        self.queryset = queryset
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update(inputmode="numeric", autocomplete="off", maxlength="20", size="10")
        return attrs

    def prepare_value(self, value):
        return value.pk if isinstance(value, Claim) else value

    def to_python(self, value):
        if isinstance(value, Claim):
            return value
        text = unicodedata.normalize("NFKC", str(value or "")).strip().lstrip("#").strip()
        if not text:
            return None
        if not text.isdecimal() or len(text) > 18:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        claim = self.queryset.filter(pk=int(text)).first()
        if claim is None:
            raise forms.ValidationError(
                self.error_messages["missing"], code="missing", params={"number": int(text)}
            )
        return claim


class AddEvidenceForm(SelectionForm):
    """The quote as evidence for an existing claim. The claim is chosen by its number; the
    search field finds it (text or number, either script): without JavaScript its button
    lists what it finds, each with a button that picks it; with JavaScript it asks
    `review:claim_picker` as the editor types and offers the matches in a list."""

    find = TextField(
        label=_("Find a claim (text or number, Simplified or Traditional)"),
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "autocomplete": "off",
                "data-claim-picker": reverse_lazy("review:claim_picker"),
                "data-claim-target": "add-evidence-claim",
                "data-claim-chosen": "add-evidence-chosen",
            }
        ),
    )
    claim = ClaimNumberField(
        label=_("Claim number"),
        queryset=Claim.objects.only("id", "text"),
        error_messages={
            "required": _("Enter the claim's number, or find the claim first and choose it.")
        },
    )
    field_order = ["quote", "find", "claim", "stance", "start", "end"]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "add-evidence-%s")
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        data.pop("find", None)  # the picker's search, not evidence
        return data


class ClaimEditForm(forms.Form):
    text = TextField(
        label=_("Claim text"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    gloss = TextField(label=_("English gloss"), required=False, max_length=500)
    claimant = TextField(
        label=_("Claimed by (who made the claim: a person, an outlet or “posts online”)"),
        required=False,
        max_length=200,
    )
    claimant_kind = forms.ChoiceField(
        label=_("The claimant is"),
        choices=[("organization", _("an organization or outlet")), ("person", _("a person"))],
        initial="organization",
        required=False,  # blank: an organization
    )
    claimed_on = forms.DateField(
        label=_("Date claimed"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    first_appearance = forms.TypedChoiceField(
        label=_("First appeared in"), required=False, coerce=int, empty_value=None
    )
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, claim, evidence=None, **kwargs):
        """`evidence`: the claim's evidence with its articles, when the page has read it."""
        super().__init__(*args, **kwargs)
        # The articles its evidence quotes (the first appearance is one of them).
        if evidence is None:
            evidence = claim.evidence.select_related("article")
        articles = {e.article_id: e.article for e in evidence if e.article}
        self.fields["first_appearance"].choices = [("", gettext("The earliest by date"))] + [
            (pk, f"#{pk} {article.display_title[:40]}") for pk, article in articles.items()
        ]

    @classmethod
    def initial_of(cls, claim):
        return {
            "text": claim.text,
            "gloss": claim.gloss,
            "version": claim.version,
            "claimant": claim.claimant,
            "claimant_kind": claim.claimant_kind,
            "claimed_on": claim.claimed_on,
            "first_appearance": claim.first_appearance_id,
        }


class ArticleQuoteForm(Picker, forms.Form):
    find = forms.CharField(
        label=_("Find an article (number, title or file name, Simplified or Traditional)"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    article = forms.ModelChoiceField(
        label=_("Article"),
        queryset=Article.objects.only("id", "title", "filename"),
        empty_label=_("Choose an article…"),
    )
    quote = TextField(label=_("Quote"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))
    stance = forms.ChoiceField(
        label=_("Stance"), choices=STANCE_CHOICES, initial=Evidence.Stance.SUPPORTS
    )
    pick_field = "article"

    def clean(self):
        data = super().clean()
        data.pop("find", None)  # the picker's search, not evidence
        return data

    @staticmethod
    def pick_label(article):
        return f"#{article.pk} {(article.title or article.filename)[:50]}"


class CitationForm(forms.Form):
    url = URLField(
        label=_("Web address (URL)"), required=False, max_length=1000, assume_scheme="https"
    )
    citation_title = TextField(label=_("Title"), required=False, max_length=500)
    publisher = TextField(label=_("Publisher"), required=False, max_length=200)
    cited_on = forms.DateField(
        label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = TextField(
        label=_("What the article says of it"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    stance = forms.ChoiceField(
        label=_("Stance"), choices=STANCE_CHOICES, initial=Evidence.Stance.SUPPORTS
    )

    def __init__(self, *args, **kwargs):
        # Ids of its own: the quote form beside it on the claim page has a stance too.
        kwargs.setdefault("auto_id", "citation-%s")
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if not data.get("url") and not data.get("citation_title") and not self.errors:
            raise forms.ValidationError(_("An outside citation needs at least a URL or a title."))
        return data


class VerdictForm(forms.Form):
    # Nothing preselected: a verdict is always a choice the editor made.
    rating = forms.ChoiceField(
        label=_("Verdict"),
        choices=[("", _("Choose a verdict…"))] + RATING_CHOICES,
        error_messages={"required": choose_a_verdict()},
    )
    rationale = TextField(
        label=_("Rationale"), max_length=10000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReviewForm(forms.Form):
    comment = TextField(
        label=_("Comment"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ApproveForm(ReviewForm):
    # The claim version on the reviewer's screen: the approval is for what they read.
    claim_version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


# --- the digest composer ---------------------------------------------------------------------


class DigestForm(forms.Form):
    title = TextField(label=_("Title"), max_length=300)
    intro = TextField(
        label=_("Introduction"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class CorrectionForm(forms.Form):
    correction_note = TextField(
        label=_("Correction note (readers will see it)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Say what changed and why."),
    )
    title = TextField(
        label=_("Title of the new version (leave empty to keep the title)"),
        max_length=300,
        required=False,
    )


class ComposerFilterForm(forms.Form):
    """The composer's list of approved claims to add: narrowed by text or number, whether the
    claim was published, its verdict and the date the verdict was approved (desk time)."""

    find = TextField(
        label=_("Find a claim (number or text, Simplified or Traditional)"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    published = forms.ChoiceField(
        label=_("Publication"),
        choices=[("no", _("Not published yet")), ("yes", _("Published before")), ("all", _("All"))],
        initial="no",
        error_messages={
            "invalid_choice": _(
                "Publication is one of “Not published yet”, “Published before” or “All”."
            )
        },
    )
    rating = forms.ChoiceField(
        label=_("Verdict"), required=False, choices=[("", _("All"))] + RATING_CHOICES
    )
    approved_from = forms.DateField(
        label=_("Approved from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter a date as YYYY-MM-DD.")},
    )
    approved_to = forms.DateField(
        label=_("Approved until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter a date as YYYY-MM-DD.")},
    )
    FIELDS = ("find", "published", "rating", "approved_from", "approved_to")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "picker-%s")
        super().__init__(*args, **kwargs)

    @classmethod
    def from_query(cls, query):
        """The form bound to the filters in `query` (a GET or a POST), "尚未发布" when it does
        not say."""
        data = {name: query.get(name, "") for name in cls.FIELDS}
        data["published"] = data["published"] or "no"
        return cls(data)

    def clean(self):
        data = super().clean()
        start, end = data.get("approved_from"), data.get("approved_to")
        if start and end and start > end:
            raise forms.ValidationError(
                _("“Approved from” is after “Approved until”: change the dates.")
            )
        return data


class ClaimIdsField(forms.Field):
    """The ticked claims: many values of one name, each a claim number; at most MAX."""

    widget = forms.MultipleHiddenInput
    MAX = 500

    def to_python(self, value):
        ids = []
        for raw in value or []:
            raw = str(raw).strip()
            if not raw.isdecimal() or len(raw) > 18:
                raise forms.ValidationError(
                    gettext("“%(value)s” is not a claim number.") % {"value": raw[:20]}
                )
            ids.append(int(raw))
        ids = list(dict.fromkeys(ids))
        if len(ids) > self.MAX:
            raise forms.ValidationError(
                gettext(
                    "At most %(max)s claims can be handled at once (%(count)s chosen): "
                    "work in batches."
                )
                % {"max": self.MAX, "count": len(ids)}
            )
        return ids


def _draft_choice(draft):
    """A draft in the bulk action's select: its number, title and number of claims."""
    return ngettext(
        "#%(id)s %(title)s (%(count)s claim)",
        "#%(id)s %(title)s (%(count)s claims)",
        draft.entry_count,
    ) % {"id": draft.pk, "title": draft.title[:40], "count": draft.entry_count}


class BulkActionForm(forms.Form):
    """The queue's bulk actions on the ticked claims: add them to a draft digest (one of the
    drafts, or a new one) or give them to an editor or reviewer (claims.services)."""

    DRAFTS = 50  # the newest drafts offered

    claims = ClaimIdsField(error_messages={"required": _("Tick the claims to act on first.")})
    action = forms.ChoiceField(
        choices=[("digest", _("Add to a draft digest")), ("assign", _("Assign"))],
        error_messages={
            "required": _("Choose what to do."),
            "invalid_choice": _("Unknown action."),
        },
    )
    digest = forms.ChoiceField(
        label=_("Add to a draft digest"),
        required=False,
        error_messages={
            "invalid_choice": _(
                "The chosen draft does not exist or is already published; choose again."
            )
        },
    )
    title = TextField(label=_("Title of the new draft"), required=False, max_length=300)
    assignee = forms.ChoiceField(
        label=_("Assign to"),
        required=False,
        error_messages={
            "invalid_choice": _(
                "Claims can only be assigned to the desk's editors and reviewers; choose again."
            )
        },
    )
    # The queue's query string, to go back to the same filters and pages.
    back = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)

    def __init__(self, *args, user=None, members=None, drafts=None, **kwargs):
        kwargs.setdefault("auto_id", "bulk-%s")
        super().__init__(*args, **kwargs)
        self.user = user
        self.members = list(desk_members()) if members is None else members
        self.drafts = list(self.newest_drafts()) if drafts is None else drafts
        self.fields["digest"].choices = [
            ("", gettext("Choose a draft…")),
            ("new", gettext("New draft (give its title below)")),
        ] + [(str(d.pk), _draft_choice(d)) for d in self.drafts]
        self.fields["assignee"].choices = [("", gettext("Choose an assignee…"))] + assignee_choices(
            self.members, user, nobody=gettext("Unassign (nobody looks after them)")
        )

    @classmethod
    def newest_drafts(cls):
        return (
            Digest.objects.filter(published_at__isnull=True)
            .annotate(entry_count=Count("entries"))
            .only("id", "title")
            .order_by("-created_at", "-id")[: cls.DRAFTS]
        )

    def clean(self):
        data = super().clean()
        action = data.get("action")
        if action == "digest":
            digest = data.get("digest")
            if not digest:
                self.add_error(
                    "digest", gettext("Choose a draft, or “New draft” and give its title.")
                )
            elif digest == "new":
                data["digest"] = None
                if not data.get("title"):
                    self.add_error("title", gettext("A new draft needs a title."))
            else:
                data["digest"] = next(d for d in self.drafts if str(d.pk) == digest)
        elif action == "assign":
            if not data.get("assignee"):
                self.add_error(
                    "assignee", gettext("Choose whom to assign them to (or “Unassign”).")
                )
            else:
                who = chosen_member(data["assignee"], self.members, self.user)
                data["assignee"] = None if who == "none" else who
        return data
