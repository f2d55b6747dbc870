"""What the authorization sweep asks of one operation (test_authorization_sweep.py)."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Probe:
    method: str
    url: str
    body: dict = field(default_factory=dict)
    # For a list: unit A's record id that another unit's user must not find in it.
    lists: int | None = None
    # A write the section's staff of unit A may make on the pages too (else refused).
    staff_may: bool = False
    # Open to anyone (e.g. a device pushing a rating with its key).
    public: bool = False
    format: str = "json"
