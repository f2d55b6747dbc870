"""The assessment's records (the names are all importable from here)."""

from zhenggai.assessments.models.interviews import Clue, Commitment, Interview  # noqa: F401
from zhenggai.assessments.models.months import (  # noqa: F401
    AssessmentMonth,
    Entry,
    MonthEvent,
    Result,
    Score,
)
from zhenggai.assessments.models.schemes import (  # noqa: F401
    Indicator,
    Scheme,
    SchemeVersion,
    UnitGroup,
)
