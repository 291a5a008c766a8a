from casserole.errors import DomainError


class RightsError(DomainError):
    """A refusal from the data-rights services (closing an account, withdrawing consent, an erasure
    request): the message is translated and says what to do next."""
