# OWNED BY A HELPER: being written.


def from_visit(request, *args, **kwargs):
    raise NotImplementedError


def from_referrer(request, *args, **kwargs):
    raise NotImplementedError


def queue(request, *args, **kwargs):
    raise NotImplementedError


def concern(request, *args, **kwargs):
    raise NotImplementedError


def from_coordinator(request, *args, **kwargs):
    raise NotImplementedError
