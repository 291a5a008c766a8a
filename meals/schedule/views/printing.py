# OWNED BY A HELPER: being written.


def label(request, *args, **kwargs):
    raise NotImplementedError
