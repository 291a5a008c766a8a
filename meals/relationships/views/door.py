# OWNED BY A HELPER: being written.


def case(request, *args, **kwargs):
    raise NotImplementedError
