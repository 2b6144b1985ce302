"""The Jinja2 environment: Lantern's templates, with GOV.UK Frontend's macros behind a prefix.

`govuk_frontend_jinja/...` resolves to the macros of the `govuk-frontend-jinja`
package; every other name to `lantern/web/templates/` (Lantern's own partials
are in `templates/components/`). Autoescaping is on for every template.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, PrefixLoader
from starlette.templating import Jinja2Templates

from lantern.web.markdown import render_markdown

__all__ = ["TEMPLATES_DIR", "make_environment", "make_templates"]

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"


def _date(value: date | datetime | None) -> str:
    """A date as people in the UK write it: 3 March 2026."""
    if value is None:
        return ""
    return f"{value.day} {value:%B %Y}"


def _datetime(value: datetime | None) -> str:
    if value is None:
        return ""
    return f"{value.day} {value:%B %Y}, {value:%H:%M}"


def _label(code: str | None) -> str:
    """A stored code (`refer_childrens_social_care`) as words for a page."""
    if not code:
        return ""
    words = str(code).replace("_", " ")
    return words[:1].upper() + words[1:]


def make_environment() -> Environment:
    """A fresh environment (one per app), autoescaping everything and failing on unknown names."""
    loader = ChoiceLoader(
        [
            PrefixLoader(
                {"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja", "templates")}
            ),
            FileSystemLoader(TEMPLATES_DIR),
        ]
    )
    env = Environment(loader=loader, autoescape=True, trim_blocks=True, lstrip_blocks=True)
    env.filters["markdown"] = render_markdown
    env.filters["uk_date"] = _date
    env.filters["uk_datetime"] = _datetime
    env.filters["label"] = _label
    # The GOV.UK macros every page may use, made once: importing them in the layout
    # re-ran each macro file's module on every page drawn.
    for component, name in _GOVUK_MACROS:
        module = env.get_template(f"govuk_frontend_jinja/components/{component}/macro.html").module
        env.globals[name] = getattr(module, name)
    csrf = env.get_template("components/csrf.html").module
    env.globals["csrfField"] = csrf.csrfField  # type: ignore[attr-defined]
    return env


#: (component folder, macro name) of the GOV.UK Frontend macros offered to every template.
_GOVUK_MACROS = (
    ("skip-link", "govukSkipLink"),
    ("back-link", "govukBackLink"),
    ("button", "govukButton"),
    ("error-summary", "govukErrorSummary"),
    ("input", "govukInput"),
    ("textarea", "govukTextarea"),
    ("radios", "govukRadios"),
    ("checkboxes", "govukCheckboxes"),
    ("date-input", "govukDateInput"),
    ("select", "govukSelect"),
    ("summary-list", "govukSummaryList"),
    ("table", "govukTable"),
    ("tag", "govukTag"),
    ("panel", "govukPanel"),
    ("warning-text", "govukWarningText"),
    ("inset-text", "govukInsetText"),
    ("details", "govukDetails"),
    ("notification-banner", "govukNotificationBanner"),
)


def make_templates() -> Jinja2Templates:
    """Starlette's template renderer over Lantern's environment."""
    return Jinja2Templates(env=make_environment())
