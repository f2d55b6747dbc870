"""What the parser warns of: a code and its arguments, worded from one template per code.

English is worded here (the command line, logs); the web layer words the same codes in Chinese
from a table of its own, so a reworded sentence never loses its translation.
"""

# One template per code the parser emits, formatted with the warning's arguments.
ENGLISH = {
    "traditional_chinese": "traditional Chinese: read and imported as simplified",
    "no_problem_section": "no section speaks of problems; every heading is taken as one",
    "only_work_sections": (
        "the text holds only sections about the work itself (organisation, methods, next steps):"
        " no problem is taken from them"
    ),
    "area_without_problems": (
        "the section {title} says it holds {count} problems but lists none"
        " (the text may stop early): it is not taken as a problem"
    ),
    "audit_item_without_problems": (
        "the section {title} names what was audited but lists no problems"
        " (the text may stop early): it is not taken as a problem"
    ),
    "date_lost_characters": (
        "a date lost characters in the source ({text}): no date taken from it"
    ),
    "declared_problems_mismatch": (
        "the document declares {declared} problems but {parsed} were parsed"
    ),
    "declared_problems_run_together": (
        "the document declares {declared} problems but {parsed} were parsed"
        " ({declared} may be numbers run together, ending in {parsed})"
    ),
    "declared_per_area_differs": (
        "the document declares {declared} problems but its areas' own counts sum to {summed}"
    ),
    "declared_areas_mismatch": "the document declares {declared} areas but {parsed} were parsed",
    "several_rounds": (
        "the sheet holds {rounds} rounds (【…】 headings): its problems go into one round"
    ),
    "table_outline_used": (
        "the text lists {text} problems and its ledger table {table}: the table's are taken"
    ),
}


def english(code: str, args: dict) -> str:
    """The warning `code` with `args`, in English."""
    return ENGLISH[code].format(**args)


class ParseWarning(str):
    """One warning of the parser. It reads, prints and compares as its English message (what
    the command line shows); `code` and `args` are what another language words it from."""

    code: str
    args: dict

    def __new__(cls, code: str, **args) -> "ParseWarning":
        warning = super().__new__(cls, english(code, args))
        warning.code, warning.args = code, args
        return warning

    def __reduce__(self):
        # Copies (dataclasses.asdict deep-copies) and pickles are made from the code again.
        return (_rebuild, (self.code, self.args))

    @property
    def message(self) -> str:
        return str(self)

    def as_json(self) -> dict:
        return {"code": self.code, "args": dict(self.args), "message": self.message}


def _rebuild(code: str, args: dict) -> ParseWarning:
    return ParseWarning(code, **args)
