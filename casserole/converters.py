"""Path converters for the whole site: registered once, in CasseroleConfig.ready(), before any
urls.py is imported."""

# The largest id a table can hold: PostgreSQL's bigint and SQLite's INTEGER are signed 64-bit.
MAX_ID = 2**63 - 1


class IdConverter:
    """`<id:pk>`: a database id, 1 … 2**63 − 1. Use it instead of `<int:…>` for every id in a URL.

    Anything outside that range does not match, so the request is a 404 before any view runs: the
    database would refuse such a number (OverflowError on SQLite, DataError on PostgreSQL) and the
    page would be a 500. Ids start at 1, so 0 is refused too.
    """

    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 1 <= number <= MAX_ID:
            raise ValueError(f"{value} is not a database id")
        return number

    def to_url(self, value: int | str) -> str:
        # reverse() treats the ValueError as "no such URL" (NoReverseMatch), never a link to a 404.
        self.to_python(str(value))
        return str(value)
