"""The ledger's records, one module a kind (the names are all importable from here)."""

from zhenggai.ledger.models.chains import (  # noqa: F401
    GENESIS,
    HistoryChain,
)
from zhenggai.ledger.models.drafts import (  # noqa: F401
    DraftQuerySet,
    ImportDraft,
    get_import_draft_for_user,
)
from zhenggai.ledger.models.events import (  # noqa: F401
    Event,
)
from zhenggai.ledger.models.flags import (  # noqa: F401
    Flag,
    get_flag_for_user,
)
from zhenggai.ledger.models.measures import (  # noqa: F401
    Measure,
    MeasureQuerySet,
    get_measure_for_user,
)
from zhenggai.ledger.models.problems import (  # noqa: F401
    Problem,
    ProblemQuerySet,
    get_problem_for_user,
)
from zhenggai.ledger.models.progress_imports import (  # noqa: F401
    ProgressImport,
    ProgressImportQuerySet,
)
from zhenggai.ledger.models.reports import (  # noqa: F401
    Evidence,
    EvidenceQuerySet,
    ProgressReport,
    get_evidence_for_user,
)
from zhenggai.ledger.models.requests import (  # noqa: F401
    ChangeRequest,
    get_change_request_for_user,
)
from zhenggai.ledger.models.spans import (  # noqa: F401
    StateSpan,
    StateSpanQuerySet,
)
from zhenggai.ledger.models.states import (  # noqa: F401
    CLOSED_STATES,
    MAX_COUNT,
    NO_DEADLINE,
    NO_OWNER,
    OPEN_STATES,
    DeadlineKind,
    FlagStatus,
    State,
    Warning,
    deadline_display,
    effective_due,
    measure_gaps,
    warning_for,
)
