from casserole.errors import DomainError


class RelationshipError(DomainError):
    """A refusal from the relationship log's services (visit records, door cases, concerns, watch
    reports, feedback, the loneliness measure): the message is translated and says what to do next."""
