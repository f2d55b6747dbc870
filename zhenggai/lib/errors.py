class Refused(Exception):
    """An action refused by the rules of the ledger.

    `message` is Chinese, for the person in the interface; `reason` is English, for logs and the
    command line.
    """

    def __init__(self, message: str, reason: str):
        super().__init__(reason)
        self.message = message
        self.reason = reason


class NotAllowed(Refused):
    """The actor does not hold a role that may do this (answered with 403)."""


class Conflict(Refused):
    """Someone else changed the record since the actor loaded it."""
