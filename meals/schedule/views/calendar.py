# OWNED BY A HELPER: being written.


def settings(request, *args, **kwargs):
    raise NotImplementedError


def feed(request, *args, **kwargs):
    raise NotImplementedError
