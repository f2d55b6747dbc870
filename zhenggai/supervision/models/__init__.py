"""Supervision's records, one module a concern (the names are all importable from here)."""

from zhenggai.supervision.models.calendar import (  # noqa: F401
    CalendarDay,
    Milestone,
    MilestoneRule,
    RoundMilestone,
)
from zhenggai.supervision.models.escalations import (  # noqa: F401
    Escalation,
    EscalationAttachment,
    OrderCounter,
    get_escalation_for_user,
)
from zhenggai.supervision.models.notifications import (  # noqa: F401
    _MOBILE_SEPARATORS,
    ERRORS_ZH,
    Channel,
    Notification,
    NotificationPart,
    Preference,
    ReminderRun,
    check_robot_url,
    normalise_mobile,
)
