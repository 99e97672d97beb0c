"""Forms of the review pages. They check the shape of the input; the desk's rules (anchoring,
four-eyes, stale edits) stay in claims/services.py."""

import unicodedata

from django import forms
from django.db.models import Count
from django.urls import reverse_lazy

from claims.access import desk_members
from claims.models import Claim, Digest, Evidence, Verdict
from sources.models import Article, Source
from sources.text import refuse_control_characters

STANCE_CHOICES = Evidence.Stance.choices
RATING_CHOICES = [
    (value, f"{Verdict.LABELS_ZH[value]} · {label}") for value, label in Verdict.Rating.choices
]


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
        label="搜索",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "简体或繁體均可"}),
    )
    source = forms.ModelChoiceField(
        label="来源", queryset=Source.objects.all(), required=False, empty_label="全部来源"
    )
    # Not `script`: everywhere else that name converts texts (?script=hans|hant|hk).
    original_script = forms.ChoiceField(
        label="原文文字", required=False, choices=[("", "全部")] + list(Article.Script.choices)
    )
    rating = forms.ChoiceField(
        label="结论", required=False, choices=[("", "全部")] + RATING_CHOICES
    )
    # "" everyone's, "me", "none" (nobody's), or a desk member's id: cleaned to "", "none" or
    # the User (claims.services.assign_claims gives claims to people).
    assignee = forms.ChoiceField(label="负责人", required=False)

    def __init__(self, *args, user=None, members=None, **kwargs):
        """`members`: the desk's editors and reviewers, when the view has read them."""
        super().__init__(*args, **kwargs)
        self.user = user
        self.members = list(desk_members()) if members is None else members
        self.fields["assignee"].choices = assignee_choices(self.members, user, everyone="全部")

    def clean_assignee(self):
        return chosen_member(self.cleaned_data["assignee"], self.members, self.user)


def assignee_choices(members, user=None, everyone=None, nobody="未指派"):
    """The options of a "who" select: (everyone,) me, nobody, then each desk member."""
    choices = [("", everyone)] if everyone else []
    if user is not None and any(m.pk == user.pk for m in members):
        choices.append(("me", f"我（{user.get_username()}）"))
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
        label="状态",
        required=False,
        choices=[
            ("", "全部"),
            ("unrated", "尚无结论"),
            ("proposed", "结论待审核"),
            ("approved", "已批准、未发布"),
            ("published", "已发布"),
        ],
    )


class SelectionForm(forms.Form):
    """A span of an article: the quote, and where the editor selected it (code points)."""

    quote = TextField(
        label="引文（文章中的原话）", max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    start = forms.IntegerField(min_value=0, required=False, widget=forms.HiddenInput)
    end = forms.IntegerField(min_value=0, required=False, widget=forms.HiddenInput)
    stance = forms.ChoiceField(
        label="立场", choices=STANCE_CHOICES, initial=Evidence.Stance.SUPPORTS
    )


class NewClaimForm(SelectionForm):
    text = TextField(
        label="主张文字（留空则用引文）",
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

    def offer(self, rows, more=False, empty_label="选择…"):
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
        "invalid": "请输入主张编号（数字，例如 12 或 #12）。",
        "missing": "没有编号为 %(number)s 的主张。",
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
        label="查找主张（文字或编号，简繁均可）",
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
        label="主张编号",
        queryset=Claim.objects.only("id", "text"),
        error_messages={"required": "请填写主张编号，或先查找主张再选择。"},
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
    text = TextField(label="主张文字", max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    gloss = TextField(label="英文释义 gloss", required=False, max_length=500)
    claimant = TextField(
        label="说法来源（谁提出的：人物、媒体或“网传讯息”）", required=False, max_length=200
    )
    claimant_kind = forms.ChoiceField(
        label="来源是",
        choices=[("organization", "机构或媒体"), ("person", "个人")],
        initial="organization",
        required=False,  # blank: an organization
    )
    claimed_on = forms.DateField(
        label="提出日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    first_appearance = forms.TypedChoiceField(
        label="最早出现于", required=False, coerce=int, empty_value=None
    )
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, claim, evidence=None, **kwargs):
        """`evidence`: the claim's evidence with its articles, when the page has read it."""
        super().__init__(*args, **kwargs)
        # The articles its evidence quotes (the first appearance is one of them).
        if evidence is None:
            evidence = claim.evidence.select_related("article")
        articles = {e.article_id: e.article for e in evidence if e.article}
        self.fields["first_appearance"].choices = [("", "按日期最早的一篇")] + [
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
        label="查找文章（编号、标题或文件名，简繁均可）",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    article = forms.ModelChoiceField(
        label="文章",
        queryset=Article.objects.only("id", "title", "filename"),
        empty_label="选择文章…",
    )
    quote = TextField(label="引文", max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))
    stance = forms.ChoiceField(
        label="立场", choices=STANCE_CHOICES, initial=Evidence.Stance.SUPPORTS
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
    url = URLField(label="网址 URL", required=False, max_length=1000, assume_scheme="https")
    citation_title = TextField(label="标题", required=False, max_length=500)
    publisher = TextField(label="发布者", required=False, max_length=200)
    cited_on = forms.DateField(
        label="日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = TextField(
        label="文章对它的说法",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    stance = forms.ChoiceField(
        label="立场", choices=STANCE_CHOICES, initial=Evidence.Stance.SUPPORTS
    )

    def __init__(self, *args, **kwargs):
        # Ids of its own: the quote form beside it on the claim page has a stance too.
        kwargs.setdefault("auto_id", "citation-%s")
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if not data.get("url") and not data.get("citation_title") and not self.errors:
            raise forms.ValidationError("外部引用至少需要网址或标题。")
        return data


class VerdictForm(forms.Form):
    # Nothing preselected: a verdict is always a choice the editor made.
    rating = forms.ChoiceField(
        label="结论",
        choices=[("", "请选择结论…")] + RATING_CHOICES,
        error_messages={
            "required": "请选择一个结论：" + "、".join(Verdict.LABELS_ZH[v] for v in Verdict.Rating)
        },
    )
    rationale = TextField(label="理由", max_length=10000, widget=forms.Textarea(attrs={"rows": 3}))


class ReviewForm(forms.Form):
    comment = TextField(
        label="意见", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ApproveForm(ReviewForm):
    # The claim version on the reviewer's screen: the approval is for what they read.
    claim_version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


# --- the digest composer ---------------------------------------------------------------------


class DigestForm(forms.Form):
    title = TextField(label="标题", max_length=300)
    intro = TextField(label="导语", required=False, widget=forms.Textarea(attrs={"rows": 4}))


class CorrectionForm(forms.Form):
    correction_note = TextField(
        label="更正说明（读者会看到）",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="说明改了什么、为什么改。",
    )
    title = TextField(label="新版本标题（留空则沿用原标题）", max_length=300, required=False)


class ComposerFilterForm(forms.Form):
    """The composer's list of approved claims to add: narrowed by text or number, whether the
    claim was published, its verdict and the date the verdict was approved (desk time)."""

    find = TextField(
        label="查找主张（编号或文字，简繁均可）",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    published = forms.ChoiceField(
        label="发布情况",
        choices=[("no", "尚未发布"), ("yes", "已发布过"), ("all", "全部")],
        initial="no",
        error_messages={"invalid_choice": "发布情况只能是“尚未发布”“已发布过”或“全部”。"},
    )
    rating = forms.ChoiceField(
        label="结论", required=False, choices=[("", "全部")] + RATING_CHOICES
    )
    approved_from = forms.DateField(
        label="批准日期从",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "请用 YYYY-MM-DD 格式的日期。"},
    )
    approved_to = forms.DateField(
        label="批准日期到",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "请用 YYYY-MM-DD 格式的日期。"},
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
            raise forms.ValidationError("“批准日期从”晚于“批准日期到”，请调整日期。")
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
                raise forms.ValidationError(f"“{raw[:20]}”不是主张编号。")
            ids.append(int(raw))
        ids = list(dict.fromkeys(ids))
        if len(ids) > self.MAX:
            raise forms.ValidationError(
                f"一次最多处理 {self.MAX} 条主张（选了 {len(ids)} 条），请分批操作。"
            )
        return ids


class BulkActionForm(forms.Form):
    """The queue's bulk actions on the ticked claims: add them to a draft digest (one of the
    drafts, or a new one) or give them to an editor or reviewer (claims.services)."""

    DRAFTS = 50  # the newest drafts offered

    claims = ClaimIdsField(error_messages={"required": "请先勾选要处理的主张。"})
    action = forms.ChoiceField(
        choices=[("digest", "加入摘要草稿"), ("assign", "指派")],
        error_messages={"required": "请选择要做的操作。", "invalid_choice": "未知的操作。"},
    )
    digest = forms.ChoiceField(
        label="加入摘要草稿",
        required=False,
        error_messages={"invalid_choice": "所选的草稿不存在或已经发布，请重新选择。"},
    )
    title = TextField(label="新草稿的标题", required=False, max_length=300)
    assignee = forms.ChoiceField(
        label="指派给",
        required=False,
        error_messages={"invalid_choice": "只能指派给核查台的编辑或审核员，请重新选择。"},
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
            ("", "选择草稿…"),
            ("new", "新建草稿（填写下面的标题）"),
        ] + [(str(d.pk), f"#{d.pk} {d.title[:40]}（{d.entry_count} 条）") for d in self.drafts]
        self.fields["assignee"].choices = [("", "选择负责人…")] + assignee_choices(
            self.members, user, nobody="取消指派（无人负责）"
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
                self.add_error("digest", "请选择一份草稿，或选“新建草稿”并填写标题。")
            elif digest == "new":
                data["digest"] = None
                if not data.get("title"):
                    self.add_error("title", "新建草稿需要标题。")
            else:
                data["digest"] = next(d for d in self.drafts if str(d.pk) == digest)
        elif action == "assign":
            if not data.get("assignee"):
                self.add_error("assignee", "请选择指派给谁（或“取消指派”）。")
            else:
                who = chosen_member(data["assignee"], self.members, self.user)
                data["assignee"] = None if who == "none" else who
        return data
