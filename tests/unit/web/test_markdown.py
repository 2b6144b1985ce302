"""Guidance Markdown becomes GOV.UK-styled HTML that cannot carry script."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from lantern.web.markdown import render_markdown


def test_headings_paragraphs_and_lists_get_govuk_classes() -> None:
    html = render_markdown("## Signs\n\nSome text.\n\n- one\n- two\n\n1. first\n")
    assert '<h2 class="govuk-heading-l">Signs</h2>' in html
    assert '<p class="govuk-body">Some text.</p>' in html
    assert 'class="govuk-list govuk-list--bullet"' in html
    assert 'class="govuk-list govuk-list--number"' in html


def test_raw_html_is_escaped_and_script_links_are_dropped() -> None:
    html = render_markdown(
        "<script>alert(1)</script>\n\n[click](javascript:alert(1)) [x](data:text/html,hi)"
    )
    assert "<script>" not in html
    assert 'href="javascript' not in html
    assert 'href="data' not in html


def test_links_between_guidance_pages_are_kept() -> None:
    html = render_markdown("See [what to do](what-to-do) and [NSPCC](https://www.nspcc.org.uk).")
    assert 'href="what-to-do"' in html
    assert 'href="https://www.nspcc.org.uk"' in html


@given(st.text(max_size=300))
def test_no_text_can_produce_a_script_element(text: str) -> None:
    html = render_markdown(text).lower()
    assert "<script" not in html
    assert 'href="javascript' not in html
