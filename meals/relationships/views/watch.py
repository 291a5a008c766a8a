# OWNED BY A HELPER: being written.


def proxy(request, *args, **kwargs):
    raise NotImplementedError


def coordinator(request, *args, **kwargs):
    raise NotImplementedError


def stop(request, *args, **kwargs):
    raise NotImplementedError
