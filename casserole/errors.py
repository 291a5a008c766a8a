class DomainError(Exception):
    """A refusal the person can act on. `message` (also `str(error)`) is already translated and is
    shown to them as it is, so it must say what to do next. Each capability's services raise their
    own subclass (`AccountError`, `MatchError`...); a view that calls several may catch this base."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message
