"""The people-linkage model: which fields are compared, how, and with what blocking.

The model is described once, independent of the engine: `build_settings` turns
it into Splink settings for DuckDB or Spark, optionally carrying trained
parameters (see `parameters.py`), so both engines score pairs identically.
Comparison levels are ordered strongest first; Splink assigns each pair the
first level whose condition holds.
"""

from __future__ import annotations

from typing import Any, Literal

__all__ = [
    "COMPARISON_NAMES",
    "EM_BLOCKING_RULES",
    "MODEL_VERSION",
    "PREDICTION_BLOCKING_RULES",
    "PRIOR_FIELDS",
    "PRIOR_RULES",
    "PRIOR_RULE_FIELDS",
    "TF_COMPARISONS",
    "Backend",
    "build_settings",
]

#: Version of the model's structure (fields, levels, blocking). Trained
#: parameters record the version they were trained for and are refused by a
#: different one, since their levels would no longer line up.
MODEL_VERSION = "people-2026.1"

Backend = Literal["duckdb", "spark"]

#: Pairs are only scored when one of these rules brings them together. Each
#: is an identifier or a name/date combination that a true pair usually shares;
#: together they let through pairs that share *any* one strong item, which is
#: why a typo in one field does not hide a pair.
PREDICTION_BLOCKING_RULES: tuple[tuple[str, ...], ...] = (
    ("phone",),
    ("vehicle",),
    ("handle",),
    ("postcode",),
    ("dob",),
    ("street_name",),
    ("surname", "initial"),
    ("forename", "birth_year"),
    ("surname", "birth_year"),
    # Slips in both names: the first three letters of each usually survive.
    ("substr(forename, 1, 3)", "substr(surname, 1, 3)"),
)

#: Expectation maximisation is run once per rule. A rule cannot train the
#: fields it blocks on, so the rules are chosen to cover each other: every
#: comparison is free to vary under at least two of them.
EM_BLOCKING_RULES: tuple[tuple[str, ...], ...] = (
    ("phone",),
    ("dob",),
    ("surname", "forename"),
    ("vehicle",),
    ("handle",),
)

#: Near-certain rules used to estimate how often two random records match (the
#: prior): surname and one strong identifier. Each rule is the set of
#: comparisons that must agree exactly (see `PRIOR_FIELDS`).
PRIOR_RULE_FIELDS: tuple[tuple[str, ...], ...] = (
    ("surname", "phone"),
    ("surname", "dob"),
    ("surname", "handle"),
)
#: For each field of a prior rule: the comparison level that means exact
#: agreement, and the feature column whose absence makes the comparison null.
PRIOR_FIELDS: dict[str, tuple[str, str]] = {
    "surname": ("same surname", "surname"),
    "phone": ("same phone", "phone"),
    "dob": ("same date of birth", "birth_year"),
    "handle": ("same handle", "handle"),
}
PRIOR_RULES: tuple[str, ...] = tuple(
    " AND ".join(f"l.{field} = r.{field}" for field in rule) for rule in PRIOR_RULE_FIELDS
)

#: Similarity cut-offs. Jaro-Winkler 0.88 keeps single-letter slips in names of
#: five or more letters ("Michal"/"Michael") and rejects different names that
#: share a start ("Dean"/"Declan" scores about 0.78).
NAME_JW_CLOSE = 0.88
HANDLE_JW_CLOSE = 0.9
#: Birth years from an age are rough: ages are recorded on unknown dates and
#: often guessed, so a few years either way is still agreement.
BIRTH_YEAR_NEAR = 1
BIRTH_YEAR_FAR = 3
#: Records of one adult span years, so ages noted at different times differ.
BIRTH_YEAR_DISTANT = 6


def _null(*cols: str) -> str:
    return " OR ".join(f"({c}_l IS NULL OR {c}_r IS NULL)" for c in cols)


def _comparisons() -> list[Any]:
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    def custom(sql: str, label: str) -> Any:
        return cll.CustomLevel(sql, label_for_charts=label)

    forename = cl.CustomComparison(
        output_column_name="forename",
        comparison_description="Forename, with short forms and initials",
        comparison_levels=[
            custom(
                "(forename_l IS NULL AND initial_l IS NULL)"
                " OR (forename_r IS NULL AND initial_r IS NULL)",
                "forename missing",
            ).configure(is_null_level=True),
            cll.ExactMatchLevel("forename").configure(
                tf_adjustment_column="forename", label_for_charts="same forename"
            ),
            cll.ArrayIntersectLevel("forenames", 1).configure(
                label_for_charts="forename matches a known short form or alias"
            ),
            cll.JaroWinklerLevel("forename", NAME_JW_CLOSE).configure(
                label_for_charts="forename spelt nearly the same"
            ),
            custom(
                "initial_l = initial_r AND (forename_l IS NULL OR forename_r IS NULL)",
                "initial agrees with forename",
            ),
            cll.ElseLevel().configure(label_for_charts="forenames differ"),
        ],
    )
    surname = cl.CustomComparison(
        output_column_name="surname",
        comparison_description="Surname",
        comparison_levels=[
            cll.NullLevel("surname").configure(label_for_charts="surname missing"),
            cll.ExactMatchLevel("surname").configure(
                tf_adjustment_column="surname", label_for_charts="same surname"
            ),
            cll.DamerauLevenshteinLevel("surname", 1).configure(
                label_for_charts="surname one typing slip apart"
            ),
            cll.JaroWinklerLevel("surname", NAME_JW_CLOSE).configure(
                label_for_charts="surname spelt nearly the same"
            ),
            cll.ElseLevel().configure(label_for_charts="surnames differ"),
        ],
    )
    dob = cl.CustomComparison(
        output_column_name="dob",
        comparison_description="Date of birth, or birth year estimated from age",
        comparison_levels=[
            custom(_null("birth_year"), "date of birth and age missing").configure(
                is_null_level=True
            ),
            custom("dob_l = dob_r", "same date of birth"),
            custom(
                "substr(dob_l, 1, 4) = substr(dob_r, 1, 4)"
                " AND substr(dob_l, 6, 2) = substr(dob_r, 9, 2)"
                " AND substr(dob_l, 9, 2) = substr(dob_r, 6, 2)",
                "day and month swapped",
            ),
            cll.DamerauLevenshteinLevel("dob", 1).configure(
                label_for_charts="date of birth one typing slip apart"
            ),
            custom("dob_l IS NOT NULL AND dob_r IS NOT NULL", "dates of birth differ"),
            custom(
                f"abs(birth_year_l - birth_year_r) <= {BIRTH_YEAR_NEAR}",
                f"birth years within {BIRTH_YEAR_NEAR} (from age)",
            ),
            custom(
                f"abs(birth_year_l - birth_year_r) <= {BIRTH_YEAR_FAR}",
                f"birth years within {BIRTH_YEAR_FAR} (from age)",
            ),
            custom(
                f"abs(birth_year_l - birth_year_r) <= {BIRTH_YEAR_DISTANT}",
                f"birth years within {BIRTH_YEAR_DISTANT} (from age)",
            ),
            cll.ElseLevel().configure(label_for_charts="ages far apart"),
        ],
    )

    def exact_or_else(col: str, what: str, *, tf: bool, fuzzy: Any | None = None) -> Any:
        same = cll.ExactMatchLevel(col).configure(label_for_charts=f"same {what}")
        if tf:
            same = same.configure(tf_adjustment_column=col)
        levels: list[Any] = [
            cll.NullLevel(col).configure(label_for_charts=f"{what} missing"),
            same,
        ]
        if fuzzy is not None:
            levels.append(fuzzy)
        levels.append(cll.ElseLevel().configure(label_for_charts=f"{what}s differ"))
        return cl.CustomComparison(
            output_column_name=col, comparison_description=what, comparison_levels=levels
        )

    postcode = cl.CustomComparison(
        output_column_name="postcode",
        comparison_description="postcode",
        comparison_levels=[
            cll.NullLevel("postcode").configure(label_for_charts="postcode missing"),
            cll.ExactMatchLevel("postcode").configure(label_for_charts="same postcode"),
            cll.ExactMatchLevel("postcode_district").configure(
                label_for_charts="same postcode district"
            ),
            cll.ElseLevel().configure(label_for_charts="postcodes differ"),
        ],
    )
    return [
        forename,
        surname,
        dob,
        exact_or_else("gender", "gender", tf=False),
        exact_or_else("phone", "phone", tf=False),
        exact_or_else(
            "vehicle",
            "vehicle",
            tf=False,
            fuzzy=cll.DamerauLevenshteinLevel("vehicle", 1).configure(
                label_for_charts="vehicle one character apart"
            ),
        ),
        postcode,
        exact_or_else(
            "handle",
            "handle",
            tf=False,
            fuzzy=cll.JaroWinklerLevel("handle", HANDLE_JW_CLOSE).configure(
                label_for_charts="handle nearly the same"
            ),
        ),
        exact_or_else("street_name", "street name", tf=True),
    ]


#: Output names of the comparisons, in model order (for explanations).
COMPARISON_NAMES: tuple[str, ...] = (
    "forename",
    "surname",
    "dob",
    "gender",
    "phone",
    "vehicle",
    "postcode",
    "handle",
    "street_name",
)


#: Comparisons whose exact agreement is adjusted for how common the value is
#: (a shared rare surname says more than a shared common one).
TF_COMPARISONS: frozenset[str] = frozenset({"forename", "surname", "street_name"})


def build_settings(
    parameters: dict[str, Any] | None = None,
    *,
    blocking_rules: tuple[tuple[str, ...], ...] | list[tuple[str, ...]] = PREDICTION_BLOCKING_RULES,
    explain: bool = True,
) -> Any:
    """Splink settings for the people model, with trained parameters applied if given.

    The settings are written with Splink's dialect-neutral level creators, so the
    same object serves DuckDB and Spark. `blocking_rules` replaces the rules as
    written (see `blocking.py`, which narrows them for large inputs); `explain`
    keeps each comparison's level and weight on every scored pair, which large
    runs that only want clusters can do without.
    """
    from splink import SettingsCreator, block_on

    comparisons = _comparisons()
    prior = 0.0001
    if parameters is not None:
        from lantern.linking.parameters import apply_parameters

        prior = apply_parameters(comparisons, parameters)
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=[block_on(*cols) for cols in blocking_rules],
        probability_two_random_records_match=prior,
        retain_matching_columns=explain,
        retain_intermediate_calculation_columns=explain,
        em_convergence=0.001,
        max_iterations=25,
    )
