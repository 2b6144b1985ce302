"""Render the guidance pages' Markdown as safe HTML with GOV.UK Frontend's classes.

Raw HTML in the Markdown is escaped, not passed through, and links are limited
to web, mail and in-site addresses, so a guidance file can never inject script.
"""

from __future__ import annotations

import functools
import re

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup

__all__ = ["render_markdown"]

#: The GOV.UK class each element gets, so guidance reads like the rest of the site.
_CLASSES = {
    "paragraph_open": "govuk-body",
    "bullet_list_open": "govuk-list govuk-list--bullet",
    "ordered_list_open": "govuk-list govuk-list--number",
    "link_open": "govuk-link",
    "table_open": "govuk-table",
    "blockquote_open": "govuk-inset-text",
}
_HEADING_CLASSES = {"h1": "govuk-heading-xl", "h2": "govuk-heading-l", "h3": "govuk-heading-m"}
_DEFAULT_HEADING_CLASS = "govuk-heading-s"
_SAFE_LINK_PREFIXES = ("https://", "http://", "mailto:", "tel:", "/", "#")
#: Guidance pages link to each other by slug (`what-to-do`), relative to /guidance/.
_SLUG_LINK = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*(?:#[a-z0-9-]+)?$")


@functools.cache
def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    parser.enable("table")
    return parser


def _decorate(tokens: list[Token]) -> None:
    for token in tokens:
        if token.type == "heading_open":
            token.attrSet("class", _HEADING_CLASSES.get(token.tag, _DEFAULT_HEADING_CLASS))
        elif token.type in _CLASSES:
            token.attrSet("class", _CLASSES[token.type])
        if token.type == "link_open":
            href = str(token.attrGet("href") or "")
            if not (href.lower().startswith(_SAFE_LINK_PREFIXES) or _SLUG_LINK.match(href)):
                token.attrSet("href", "#")
        if token.children:
            _decorate(token.children)


def render_markdown(text: str) -> Markup:
    """The Markdown `text` as HTML that is safe to place in a page."""
    parser = _parser()
    tokens = parser.parse(text)
    _decorate(tokens)
    return Markup(parser.renderer.render(tokens, parser.options, {}))  # noqa: S704 - html=False escapes raw HTML
