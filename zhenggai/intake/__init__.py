"""Reading rectification documents (feedback, plans, reports, Excel ledgers) into their problem
outline. A plain package: it does not import Django, so it runs and is tested on its own."""

from zhenggai.intake.model import IntakeError, ParsedDocument
from zhenggai.intake.parse import parse_file, parse_lines
from zhenggai.intake.warning import ParseWarning

__all__ = ["IntakeError", "ParsedDocument", "ParseWarning", "parse_file", "parse_lines"]
