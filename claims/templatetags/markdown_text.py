"""Quotes and other pieces of article text without their Markdown: `{% load markdown_text %}`.

- `{{ quote|unmarked }}`: the text without markup characters (`**`, `### `, `- `, `> `, link
  brackets and addresses, backticks), display only: the stored quote keeps them, since it is
  the exact substring of the stored body (sources.markdown.plain).
"""

from django import template

from sources import markdown

register = template.Library()


@register.filter
def unmarked(text):
    return markdown.plain(text)
