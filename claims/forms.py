"""Forms of the review pages. They check the shape of the input; the desk's rules (anchoring,
four-eyes, stale edits) stay in claims/services.py."""

from django import forms

from claims.models import Claim, Evidence, Verdict
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


class AddEvidenceForm(Picker, SelectionForm):
    find = forms.CharField(
        label="查找主张（编号或文字，简繁均可）",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    claim = forms.ModelChoiceField(
        label="加入主张", queryset=Claim.objects.only("id", "text"), empty_label="选择主张…"
    )
    field_order = ["quote", "find", "claim", "stance", "start", "end"]
    pick_field = "claim"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "add-evidence-%s")
        super().__init__(*args, **kwargs)

    @staticmethod
    def pick_label(claim):
        return f"#{claim.pk} {claim.text[:40]}"


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
