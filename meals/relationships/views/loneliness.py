# OWNED BY A HELPER: being written.


def coordinator(request, *args, **kwargs):
    raise NotImplementedError
