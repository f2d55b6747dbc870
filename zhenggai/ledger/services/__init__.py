"""Actions on the ledger: entering problems and measures, changing them (directly or through a
leader's approval), reporting progress with evidence, concerns of the discipline group, and bulk
changes; one module a concern.

Every function takes model objects and plain values, checks the actor's right, runs atomically
and writes history. Views, commands and tests all call these, as `services.<name>`.
"""

from zhenggai.ledger.services.bulk import (  # noqa: F401
    bulk_update_measures,
)
from zhenggai.ledger.services.evidence import (  # noqa: F401
    _report,
    _store_evidence,
    checked_file,
    report_progress,
    stored_file_fields,
)
from zhenggai.ledger.services.flags import (  # noqa: F401
    _FLAG_DECISIONS,
    FLAG_ANSWERERS,
    MAX_FLAG_TEXT,
    _decide_flag,
    _flag_text,
    _lock_flag,
    _require_status,
    answer_flag,
    close_flag,
    flag_problem,
    may_answer_flag,
    may_decide_flag,
    refresh_concern,
    send_back_flag,
)
from zhenggai.ledger.services.measures import (  # noqa: F401
    MeasureUpdate,
    _apply,
    _decided,
    _lock_measure,
    _open_request,
    add_measure,
    create_measure,
    supersede_requests,
    update_measure,
    withdraw_measure,
)
from zhenggai.ledger.services.problems import (  # noqa: F401
    _check_lengths,
    add_problem,
    create_problem,
    refresh_search_text,
    update_problem,
)
from zhenggai.ledger.services.requests import (  # noqa: F401
    current_values,
    decide_change_request,
)
from zhenggai.ledger.services.rights import (  # noqa: F401
    DEADLINE_FIELDS,
    EDITORS,
    MEASURE_FIELDS,
    PLAN_FIELDS,
    PLANNERS,
    PROBLEM_FIELDS,
    RESULT_FIELDS,
    applies_directly,
    assign_values,
    check_deadline,
    check_people,
    check_results,
    check_sections,
    may_change_plan,
    may_edit_problem,
    may_enter_problems,
    may_flag,
    may_plan,
    may_report,
    measure_warnings,
    past_deadline_warning,
    require_open,
    require_role,
)
