# OWNED BY A HELPER: being written.


def cook(request, *args, **kwargs):
    raise NotImplementedError


def proxy(request, *args, **kwargs):
    raise NotImplementedError


def coordinator(request, *args, **kwargs):
    raise NotImplementedError
