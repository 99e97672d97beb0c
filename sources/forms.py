"""The admin's upload form: several article files at once, optionally in a forced encoding."""

from django import forms
from django.utils.translation import gettext_lazy as _


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field that takes several files (Django's documented pattern)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            if not data:
                return [single(None, initial)]  # raises "required"
            return [single(item, initial) for item in data]
        return [single(data, initial)]


ENCODING_CHOICES = [
    ("", _("Detect it (UTF-8, GB18030/GBK, Big5)")),
    ("utf-8", "UTF-8"),
    ("gb18030", "GB18030 / GBK"),
    ("big5", "Big5"),
]


class ArticleUploadForm(forms.Form):
    files = MultipleFileField(
        label=_("Article files"),
        help_text=_(
            "Choose several text files at once if you like; each file is imported on its own, "
            "and a file that fails does not stop the others."
        ),
        # An empty file is the importer's to refuse, with the same message as the command.
        allow_empty_file=True,
    )
    encoding = forms.ChoiceField(label=_("Encoding"), choices=ENCODING_CHOICES, required=False)


class ArticleAdminForm(forms.ModelForm):
    """An article as staff edit it in the admin: its tags are a list of texts, as the importer
    stores them from the front matter. An empty field is no tags (the form field reads it as
    null, which the column refuses: a 500 before), and anything but a list of texts (a number,
    an object) is refused with the form's error."""

    def clean_tags(self):
        tags = self.cleaned_data.get("tags")
        if tags is None:  # the field left empty
            return []
        if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
            raise forms.ValidationError(
                _('Tags are a list of texts in JSON, such as ["AI", "裁员"].'), code="invalid"
            )
        return tags
